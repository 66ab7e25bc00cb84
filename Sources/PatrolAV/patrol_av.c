// patrol_av: the only place Patrol calls FFmpeg. See include/patrol_av.h.
#include "patrol_av.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct pav_session {
    AVFormatContext *fmt;
    AVPacket *pkt;
    AVFrame *frame;
    AVCodecContext *dec;
    int dec_stream;
    struct SwsContext *sws;
    uint8_t *gray;        // swscale output for pictures without a planar luma
    int gray_size;
    int64_t stop_at_ns;
    int interrupted;
    int status_code;      // last RTSP/HTTP status >= 300 seen in FFmpeg's log
    int decode_errors;    // decoder errors logged since the last decode started
};

// The session whose FFmpeg call is running on this thread, for the log callback: FFmpeg's
// log has no user pointer, and a probe runs every call of one session on one thread.
static _Thread_local pav_session *current_session;

int64_t pav_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

// FFmpeg's own log stays silent; it is read only for facts the API does not return:
// the status code of a refused RTSP/HTTP request and the decoder's error count.
static void scan_status(pav_session *s, const char *line) {
    const char *p = strstr(line, " failed: ");           // RTSP: "method DESCRIBE failed: 401 Unauthorized"
    if (p && strncmp(line, "method ", 7) == 0) {
        int code = atoi(p + 9);
        if (code >= 300 && code < 1000) s->status_code = code;
        return;
    }
    p = strstr(line, "HTTP error ");                      // HTTP: "HTTP error 403 Forbidden"
    if (p) {
        int code = atoi(p + 11);
        if (code >= 300 && code < 1000) s->status_code = code;
    }
}

static void log_callback(void *avcl, int level, const char *fmt, va_list vl) {
    pav_session *s = current_session;
    if (!s || !avcl || level > AV_LOG_WARNING) return;
    const AVClass *cls = *(const AVClass **)avcl;
    if (cls == avcodec_get_class()) {
        if (level <= AV_LOG_ERROR) s->decode_errors++;
        return;
    }
    char line[256];
    va_list copy;
    va_copy(copy, vl);
    vsnprintf(line, sizeof line, fmt, copy);
    va_end(copy);
    scan_status(s, line);
}

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void global_init(void) {
    avformat_network_init();
    av_log_set_callback(log_callback);
}

static int interrupt_callback(void *opaque) {
    pav_session *s = opaque;
    if (pav_now_ns() >= s->stop_at_ns) {
        s->interrupted = 1;
        return 1;
    }
    return 0;
}

static void fill_status(pav_session *s, int ret, pav_status *status) {
    if (!status) return;
    status->averror = ret;
    status->os_errno = 0;
    if (ret < 0 && ret > -4096 && AVERROR(-ret) == ret) status->os_errno = -ret;
    status->status_code = s->status_code;
    status->interrupted = s->interrupted;
    status->message[0] = 0;
    if (ret < 0) av_strerror(ret, status->message, sizeof status->message);
}

pav_session *pav_session_create(void) {
    pthread_once(&global_once, global_init);
    pav_session *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->pkt = av_packet_alloc();
    s->frame = av_frame_alloc();
    s->dec_stream = -1;
    s->stop_at_ns = INT64_MAX;
    if (!s->pkt || !s->frame) {
        pav_session_release(s);
        return NULL;
    }
    return s;
}

void pav_session_release(pav_session *s) {
    if (!s) return;
    current_session = s;
    // Closing sends an RTSP TEARDOWN without waiting for the answer; bound it all the same.
    int64_t close_by = pav_now_ns() + 250000000LL;
    if (s->stop_at_ns > close_by) s->stop_at_ns = close_by;
    avcodec_free_context(&s->dec);
    if (s->fmt) avformat_close_input(&s->fmt);
    av_packet_free(&s->pkt);
    av_frame_free(&s->frame);
    sws_freeContext(s->sws);
    av_free(s->gray);
    current_session = NULL;
    free(s);
}

void pav_set_stop_at(pav_session *s, int64_t stop_at_ns) {
    s->stop_at_ns = stop_at_ns;
    s->interrupted = 0;
}

static int is_rtsp(const char *url) { return strncmp(url, "rtsp://", 7) == 0 || strncmp(url, "rtsps://", 8) == 0; }

int pav_open(pav_session *s, const pav_open_params *params, pav_status *status) {
    current_session = s;
    s->status_code = 0;
    s->interrupted = 0;
    int ret = AVERROR(ENOMEM);
    AVDictionary *options = NULL;
    s->fmt = avformat_alloc_context();
    if (!s->fmt) goto done;
    s->fmt->interrupt_callback.callback = interrupt_callback;
    s->fmt->interrupt_callback.opaque = s;
    // Live sources: hand packets over as they arrive, never buffer ahead.
    s->fmt->flags |= AVFMT_FLAG_NOBUFFER;
    if (is_rtsp(params->url)) {
        if (params->rtsp_transport) av_dict_set(&options, "rtsp_transport", params->rtsp_transport, 0);
        // FFmpeg 5.1: "timeout" bounds socket I/O and the TCP connect of the RTSP control channel.
        av_dict_set_int(&options, "timeout", params->io_timeout_us, 0);
    } else {
        av_dict_set_int(&options, "rw_timeout", params->io_timeout_us, 0);
    }
    if (params->user_agent) av_dict_set(&options, "user_agent", params->user_agent, 0);
    // No stream-info pass: the probe reads packets itself and decodes only what it needs.
    av_dict_set_int(&options, "probesize", 500000, 0);
    ret = avformat_open_input(&s->fmt, params->url, NULL, &options);  // frees fmt on failure
done:
    av_dict_free(&options);
    fill_status(s, ret, status);
    current_session = NULL;
    return ret;
}

void pav_describe_streams(pav_session *s, pav_streams *out) {
    memset(out, 0, sizeof *out);
    if (!s->fmt) return;
    out->format_name = s->fmt->iformat ? s->fmt->iformat->name : NULL;
    out->streams_are_dynamic = (s->fmt->ctx_flags & AVFMTCTX_NOHEADER) != 0;
    for (unsigned i = 0; i < s->fmt->nb_streams; i++) {
        AVStream *st = s->fmt->streams[i];
        switch (st->codecpar->codec_type) {
        case AVMEDIA_TYPE_VIDEO:
            if (out->video_streams++ == 0) {
                out->video_codec = avcodec_get_name(st->codecpar->codec_id);
                AVRational r = st->avg_frame_rate.num ? st->avg_frame_rate : st->r_frame_rate;
                if (r.num > 0 && r.den > 0) out->declared_fps = av_q2d(r);
            }
            break;
        case AVMEDIA_TYPE_AUDIO:
            if (out->audio_streams++ == 0) out->audio_codec = avcodec_get_name(st->codecpar->codec_id);
            break;
        default:
            out->other_streams++;
        }
    }
}

int pav_read(pav_session *s, pav_packet *out, pav_status *status) {
    current_session = s;
    s->interrupted = 0;
    av_packet_unref(s->pkt);
    int ret = s->fmt ? av_read_frame(s->fmt, s->pkt) : AVERROR(EINVAL);
    memset(out, 0, sizeof *out);
    if (ret >= 0) {
        AVStream *st = s->fmt->streams[s->pkt->stream_index];
        out->stream_index = s->pkt->stream_index;
        switch (st->codecpar->codec_type) {
        case AVMEDIA_TYPE_VIDEO: out->media = PAV_MEDIA_VIDEO; break;
        case AVMEDIA_TYPE_AUDIO: out->media = PAV_MEDIA_AUDIO; break;
        default: out->media = PAV_MEDIA_OTHER;
        }
        out->key = (s->pkt->flags & AV_PKT_FLAG_KEY) != 0;
        out->corrupt = (s->pkt->flags & AV_PKT_FLAG_CORRUPT) != 0;
        out->size = s->pkt->size;
        out->pts = s->pkt->pts == AV_NOPTS_VALUE ? INT64_MIN : s->pkt->pts;
        out->dts = s->pkt->dts == AV_NOPTS_VALUE ? INT64_MIN : s->pkt->dts;
        out->time_base = av_q2d(st->time_base);
        out->arrival_ns = pav_now_ns();
    }
    fill_status(s, ret, status);
    current_session = NULL;
    return ret;
}

static int open_decoder(pav_session *s, int stream_index) {
    avcodec_free_context(&s->dec);
    s->dec_stream = -1;
    AVStream *st = s->fmt->streams[stream_index];
    const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec) return AVERROR_DECODER_NOT_FOUND;
    s->dec = avcodec_alloc_context3(codec);
    if (!s->dec) return AVERROR(ENOMEM);
    int ret = avcodec_parameters_to_context(s->dec, st->codecpar);
    if (ret < 0) return ret;
    // Many probes run side by side: one thread per decode is the cheapest overall. The
    // picture statistics do not need the deblocking filter.
    s->dec->thread_count = 1;
    s->dec->skip_loop_filter = AVDISCARD_ALL;
    s->dec->flags2 |= AV_CODEC_FLAG2_FAST;
    s->dec->pkt_timebase = st->time_base;
    ret = avcodec_open2(s->dec, codec, NULL);
    if (ret < 0) return ret;
    s->dec_stream = stream_index;
    return 0;
}

// Points the picture at the frame's luma plane, or converts to 8-bit gray when the frame
// has none (RGB, paletted or packed formats).
static int expose_luma(pav_session *s, pav_picture *out) {
    AVFrame *f = s->frame;
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(f->format);
    if (!d) return AVERROR(EINVAL);
    out->width = f->width;
    out->height = f->height;
    out->pix_fmt = d->name;
    out->full_range = f->color_range == AVCOL_RANGE_JPEG || strncmp(d->name, "yuvj", 4) == 0;
    int planar_luma = !(d->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_HWACCEL |
                                    AV_PIX_FMT_FLAG_BITSTREAM | AV_PIX_FMT_FLAG_FLOAT)) &&
                      d->comp[0].plane == 0 && d->comp[0].shift == 0 && d->comp[0].offset == 0 &&
                      (d->comp[0].step == 1 || d->comp[0].step == 2) && !(d->flags & AV_PIX_FMT_FLAG_BE);
    if (planar_luma) {
        out->luma = f->data[0];
        out->linesize = f->linesize[0];
        out->bytes_per_sample = d->comp[0].step;
        out->bit_depth = d->comp[0].depth;
        return 0;
    }
    s->sws = sws_getCachedContext(s->sws, f->width, f->height, f->format, f->width, f->height,
                                  AV_PIX_FMT_GRAY8, SWS_POINT, NULL, NULL, NULL);
    if (!s->sws) return AVERROR(EINVAL);
    int size = f->width * f->height;
    if (size > s->gray_size) {
        av_free(s->gray);
        s->gray = av_malloc(size);
        s->gray_size = s->gray ? size : 0;
        if (!s->gray) return AVERROR(ENOMEM);
    }
    uint8_t *dst[4] = {s->gray, NULL, NULL, NULL};
    int dst_stride[4] = {f->width, 0, 0, 0};
    sws_scale(s->sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, dst, dst_stride);
    out->luma = s->gray;
    out->linesize = f->width;
    out->bytes_per_sample = 1;
    out->bit_depth = 8;
    out->full_range = 1;
    return 0;
}

int pav_decode_held(pav_session *s, pav_picture *out, pav_status *status) {
    current_session = s;
    s->interrupted = 0;
    memset(out, 0, sizeof *out);
    int ret = 0;
    if (!s->fmt || s->pkt->size == 0) {
        ret = AVERROR(EINVAL);
        goto done;
    }
    if (s->dec_stream != s->pkt->stream_index) {
        ret = open_decoder(s, s->pkt->stream_index);
        if (ret < 0) goto done;
    } else {
        avcodec_flush_buffers(s->dec);  // each decode starts afresh from a keyframe
    }
    s->decode_errors = 0;
    av_frame_unref(s->frame);
    int sent = avcodec_send_packet(s->dec, s->pkt);
    avcodec_send_packet(s->dec, NULL);  // drain: the one picture comes out now, not after reordering
    ret = avcodec_receive_frame(s->dec, s->frame);
    if (ret < 0) {
        if (sent < 0) ret = sent;
        goto done;
    }
    out->decode_errors = s->decode_errors + (sent < 0);
    out->corrupt_flag = (s->frame->flags & AV_FRAME_FLAG_CORRUPT) || s->frame->decode_error_flags;
    out->codec = avcodec_get_name(s->dec->codec_id);
    out->profile = avcodec_profile_name(s->dec->codec_id, s->dec->profile);
    out->level = s->dec->level;
    if (s->dec->framerate.num > 0 && s->dec->framerate.den > 0) out->declared_fps = av_q2d(s->dec->framerate);
    ret = expose_luma(s, out);
done:
    fill_status(s, ret, status);
    current_session = NULL;
    return ret;
}

void pav_tune_process(void) {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    // Hundreds of probe threads: a few shared arenas keep freed memory reusable across them
    // instead of stranded in one arena per thread. Probes call malloc rarely; contention is nil.
    mallopt(M_ARENA_MAX, 4);
}

void pav_release_decoder(pav_session *s) {
    avcodec_free_context(&s->dec);
    s->dec_stream = -1;
    av_frame_unref(s->frame);
    av_freep(&s->gray);
    s->gray_size = 0;
}

int pav_error_eof(void) { return AVERROR_EOF; }
int pav_error_exit(void) { return AVERROR_EXIT; }
int pav_error_invalid_data(void) { return AVERROR_INVALIDDATA; }
int pav_error_http_unauthorized(void) { return AVERROR_HTTP_UNAUTHORIZED; }
int pav_error_http_forbidden(void) { return AVERROR_HTTP_FORBIDDEN; }
int pav_error_http_not_found(void) { return AVERROR_HTTP_NOT_FOUND; }
int pav_error_http_other_4xx(void) { return AVERROR_HTTP_OTHER_4XX; }
int pav_error_http_server_error(void) { return AVERROR_HTTP_SERVER_ERROR; }
int pav_error_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
