// patrol_av: the only place Patrol calls FFmpeg. See include/patrol_av.h.
#define _GNU_SOURCE  // pthread_setname_np
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
#include <unistd.h>
#include <string.h>
#include <strings.h>
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
    struct SwsContext *small_sws;
    uint8_t *small;       // the luma scaled down, for scene checks (held while a picture is)
    int64_t stop_at_ns;
    int interrupted;
    int status_code;      // last RTSP/HTTP status >= 300 seen in FFmpeg's log
    char status_method[16];
    char sending_method[16];  // the RTSP request last sent, while opening
    int setup_refused;
    int redirected;
    char redirect_target[512];
    char lower_transport[4];  // "tcp" or "udp", from the SETUP answer's Transport header
    int awaiting_status;  // the next reply line is a status line
    int not_rtsp;
    char answer[64];
    int opening;          // FFmpeg's RTSP dialogue is read from its log only while opening
    int decode_errors;    // decoder errors logged since the last decode started
    uint8_t *unit;        // the access unit taken for decoding
    int unit_stream;
    int unit_size;
    int unit_capacity;
};

// The session whose FFmpeg call is running on this thread, for the log callback: FFmpeg's
// log has no user pointer, and a probe runs every call of one session on one thread.
static _Thread_local pav_session *current_session;

int64_t pav_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

// FFmpeg's own log stays silent; it is read only for facts the API does not return: the
// status code of a refused RTSP/HTTP request and the request it answered, a redirect, the
// transport the server set up, and the decoder's error count. Lines are matched on their
// format string first, so only the few that matter are ever formatted.
static void copy_word(char *dst, size_t size, const char *src) {
    size_t n = 0;
    while (src[n] && src[n] != ' ' && src[n] != '\r' && src[n] != '\n' && n + 1 < size) {
        dst[n] = src[n];
        n++;
    }
    dst[n] = 0;
}

// Every status line replaces the last: a 401 answered with credentials on the second try
// is no longer the story.
static void note_status(pav_session *s, int code) {
    if (code < 300 || code >= 1000) {
        s->status_code = 0;
        s->status_method[0] = 0;
        return;
    }
    s->status_code = code;
    memcpy(s->status_method, s->sending_method, sizeof s->status_method);
    if (strcmp(s->sending_method, "SETUP") == 0) s->setup_refused = 1;
}

// One line of an RTSP reply, while opening (FFmpeg traces each as "line='...'").
static void scan_reply_line(pav_session *s, const char *line) {
    int status_line = s->awaiting_status;
    s->awaiting_status = 0;
    // A status line begins "RTSP/1.0"; a request from the server ends with it.
    if (status_line && !strstr(line, "RTSP/1.") && !s->not_rtsp) {
        s->not_rtsp = 1;
        snprintf(s->answer, sizeof s->answer, "%s", line);
        s->stop_at_ns = 0;  // nothing usable will follow: stop now, not at the deadline
        return;
    }
    if (strncmp(line, "RTSP/", 5) == 0) {
        const char *space = strchr(line, ' ');
        if (space) note_status(s, atoi(space + 1));
    } else if (strncasecmp(line, "Transport:", 10) == 0 && strcmp(s->sending_method, "SETUP") == 0) {
        // RTP/AVP/TCP;interleaved=0-1 or RTP/AVP;unicast;client_port=... (RTP/AVP/UDP too)
        const char *v = line + 10;
        while (*v == ' ') v++;
        const char *end = strpbrk(v, ";,");
        size_t n = end ? (size_t)(end - v) : strlen(v);
        int tcp = n >= 4 && strncasecmp(v + n - 4, "/TCP", 4) == 0;
        strcpy(s->lower_transport, tcp ? "tcp" : "udp");
    }
}

static void scan_status(pav_session *s, const char *line) {
    const char *p = strstr(line, " failed: ");           // RTSP: "method DESCRIBE failed: 401 Unauthorized"
    if (p && strncmp(line, "method ", 7) == 0) {
        int code = atoi(p + 9);
        if (code >= 300 && code < 1000) {
            s->status_code = code;
            copy_word(s->status_method, sizeof s->status_method, line + 7);
            if (strcmp(s->status_method, "SETUP") == 0) s->setup_refused = 1;
        }
        return;
    }
    p = strstr(line, "HTTP error ");                      // HTTP: "HTTP error 403 Forbidden"
    if (p) {
        int code = atoi(p + 11);
        if (code >= 300 && code < 1000) s->status_code = code;
    }
}

// The far end redirected the request. FFmpeg's RTSP client follows it at once, carrying the
// camera's credentials to wherever it points and without bound (a redirect to itself loops
// until the deadline). Patrol follows none: the stop time fires now, and the URL FFmpeg is
// about to connect to is replaced by one that cannot leave the machine, so not even a name
// lookup of the new host happens. `fmt` is "Status %d: Redirecting to %s\n", its arguments
// the code and the new URL (the context's own url field).
static void stop_redirect(pav_session *s, void *avcl, va_list vl) {
    va_list copy;
    va_copy(copy, vl);
    int code = va_arg(copy, int);
    const char *target = va_arg(copy, const char *);
    va_end(copy);
    s->redirected = 1;
    if (code >= 300 && code < 1000) s->status_code = code;
    memcpy(s->status_method, s->sending_method, sizeof s->status_method);
    snprintf(s->redirect_target, sizeof s->redirect_target, "%s", target ? target : "");
    s->stop_at_ns = 0;
    AVFormatContext *fmt = avcl;
    if (fmt->url == target) {
        char *nowhere = av_strdup("rtsp://127.0.0.1:1/");
        if (nowhere) {
            av_free(fmt->url);
            fmt->url = nowhere;
        }
    }
}

static void log_callback(void *avcl, int level, const char *fmt, va_list vl) {
    pav_session *s = current_session;
    if (!s || !avcl || !fmt) return;
    const AVClass *cls = *(const AVClass **)avcl;
    if (cls == avcodec_get_class()) {
        if (level <= AV_LOG_ERROR) s->decode_errors++;
        return;
    }
    if (s->opening && cls == avformat_get_class()) {
        if (strncmp(fmt, "Sending:", 8) == 0) {           // "Sending:\n%s--\n": the request; only its method is kept
            va_list copy;
            va_copy(copy, vl);
            const char *request = va_arg(copy, const char *);
            va_end(copy);
            if (request) copy_word(s->sending_method, sizeof s->sending_method, request);
            s->awaiting_status = 1;
            return;
        }
        if (strncmp(fmt, "line='", 6) == 0) {             // "line='%s'\n": one line of the reply
            va_list copy;
            va_copy(copy, vl);
            const char *line = va_arg(copy, const char *);
            va_end(copy);
            if (line) scan_reply_line(s, line);
            return;
        }
        if (strstr(fmt, "Redirecting to")) {
            stop_redirect(s, avcl, vl);
            return;
        }
        if (strncmp(fmt, "Nonmatching transport", 21) == 0) {
            s->setup_refused = 1;
            return;
        }
    }
    if (level > AV_LOG_WARNING) return;
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
    memcpy(status->method, s->status_method, sizeof status->method);
    memcpy(status->request, s->sending_method, sizeof status->request);
    status->setup_refused = s->setup_refused;
    status->redirected = s->redirected;
    memcpy(status->redirect_target, s->redirect_target, sizeof status->redirect_target);
    status->not_rtsp = s->not_rtsp;
    memcpy(status->answer, s->answer, sizeof status->answer);
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
    sws_freeContext(s->small_sws);
    av_free(s->small);
    av_free(s->gray);
    av_free(s->unit);
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
    s->status_method[0] = s->sending_method[0] = s->lower_transport[0] = 0;
    s->setup_refused = s->redirected = s->not_rtsp = s->awaiting_status = 0;
    s->redirect_target[0] = s->answer[0] = 0;
    s->interrupted = 0;
    s->opening = 1;
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
        // RTP over UDP: room for a keyframe's burst of datagrams (the kernel caps it at
        // net.core.rmem_max), instead of dropping the datagrams of a large picture.
        av_dict_set_int(&options, "buffer_size", 4 << 20, 0);
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
    s->opening = 0;
    fill_status(s, ret, status);
    current_session = NULL;
    return ret;
}

const char *pav_rtsp_lower_transport(pav_session *s) { return s->lower_transport[0] ? s->lower_transport : NULL; }

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

// A cheap 64-bit hash of coded bytes, eight at a time (FNV-1a's prime, with a shift that
// carries the high bits down): only ever compared for equality with the same camera's
// keyframe of an earlier probe, never exposed to anything adversarial.
static uint64_t hash_bytes(uint64_t h, const uint8_t *p, size_t n) {
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0x100000001b3ULL;
        h ^= h >> 29;
        p += 8;
        n -= 8;
    }
    while (n--) h = (h ^ *p++) * 0x100000001b3ULL;
    return h;
}

#define PAV_HASH_SEED 0xcbf29ce484222325ULL

// Bytes of coded picture data in an Annex B access unit: the slice NAL units, without
// filler data (which constant-bitrate encoders add to keep the rate up), SEI, parameter
// sets or delimiters. A frozen picture coded at a constant bitrate still codes to near-empty
// slices; only the padding keeps its frames large. -1 when the packet is not Annex B.
// With `hash`, the same slice bytes are hashed into it (SEI, which may carry a timestamp,
// and the parameter sets stay out, so a keyframe sent again hashes the same).
static int coded_bytes(enum AVCodecID codec, const uint8_t *data, int size, uint64_t *hash) {
    if (size < 4 || !(data[0] == 0 && data[1] == 0 && (data[2] == 1 || (data[2] == 0 && data[3] == 1)))) return -1;
    int total = 0, start = -1, vcl = 0;
    const uint8_t *end = data + size;
    // Start codes are 00 00 01; memchr finds the 01s (rare in coded data, absent from filler).
    for (const uint8_t *p = data + 2; p < end; p++) {
        p = memchr(p, 1, (size_t)(end - p));
        if (!p) break;
        if (p[-1] != 0 || p[-2] != 0) continue;
        int here = (int)(p - data) - 2;
        if (start >= 0 && vcl) {
            total += here - start;
            if (hash) *hash = hash_bytes(*hash, data + start, (size_t)(here - start));
        }
        start = here + 3;
        vcl = 0;
        if (start < size) {
            int t = codec == AV_CODEC_ID_HEVC ? (data[start] >> 1) & 0x3f : data[start] & 0x1f;
            vcl = codec == AV_CODEC_ID_HEVC ? t < 32 : (t >= 1 && t <= 5);
        }
    }
    if (start >= 0 && vcl) {
        total += size - start;
        if (hash) *hash = hash_bytes(*hash, data + start, (size_t)(size - start));
    }
    return total;
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
        out->coded_size = s->pkt->size;
        uint64_t hash = PAV_HASH_SEED;
        uint64_t *keyHash = out->key && out->media == PAV_MEDIA_VIDEO ? &hash : NULL;
        int coded = -1;
        if (st->codecpar->codec_id == AV_CODEC_ID_H264 || st->codecpar->codec_id == AV_CODEC_ID_HEVC) {
            coded = coded_bytes(st->codecpar->codec_id, s->pkt->data, s->pkt->size, keyHash);
            if (coded >= 0) out->coded_size = coded;
        }
        if (keyHash) {
            if (coded < 0) hash = hash_bytes(hash, s->pkt->data, (size_t)s->pkt->size);
            out->coded_hash = hash ? hash : 1;  // 0 means "no hash"
        }
        out->flushed = s->interrupted;
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

void pav_box_plane(const uint8_t *src, int src_stride, int out_width, int out_height, int k, const uint8_t *map,
                   uint8_t *dst, int dst_stride) {
    // The mean of k*k samples rounded half up, without a division per sample: (sum * m + 2^31) >> 32
    // with m = 2^32 / (k*k) rounded up. m's excess moves a mean by at most 255 k^2 / 2^32, less than
    // the 1 / (2 k^2) between a mean and the next half for every k up to 48: the same as dividing.
    const uint64_t area = (uint64_t)k * (uint64_t)k;
    const uint64_t m = ((1ull << 32) + area - 1) / area;
    // Each block row's k source rows are summed column by column first (a loop the compiler
    // vectorises; 48 * 255 fits 16 bits), then each block's k column sums.
    enum { COLUMNS = 8192 };
    uint16_t columns[COLUMNS];
    const int chunk = COLUMNS / k;
    for (int y = 0; y < out_height; y++) {
        uint8_t *out = dst + (ptrdiff_t)y * dst_stride;
        for (int x0 = 0; x0 < out_width; x0 += chunk) {
            const int n = out_width - x0 < chunk ? out_width - x0 : chunk, width = n * k;
            const uint8_t *first = src + (ptrdiff_t)y * k * src_stride + (ptrdiff_t)x0 * k;
            uint16_t *restrict sums = columns;
            for (int i = 0; i < width; i++) sums[i] = first[i];
            for (int r = 1; r < k; r++) {
                const uint8_t *restrict row = first + (ptrdiff_t)r * src_stride;
                for (int i = 0; i < width; i++) sums[i] = (uint16_t)(sums[i] + row[i]);
            }
            // The block's column sums, with k a constant for the common factors (so the loop unrolls).
#define PAV_BLOCKS(K)                                                                 \
            for (int x = 0; x < n; x++) {                                             \
                uint32_t sum = 0;                                                     \
                for (int c = 0; c < (K); c++) sum += sums[x * (K) + c];               \
                uint8_t mean = (uint8_t)(((uint64_t)sum * m + (1ull << 31)) >> 32);   \
                out[x0 + x] = map ? map[mean] : mean;                                 \
            }
            switch (k) {
            case 2: PAV_BLOCKS(2) break;
            case 3: PAV_BLOCKS(3) break;
            case 4: PAV_BLOCKS(4) break;
            case 6: PAV_BLOCKS(6) break;
            default: PAV_BLOCKS(k) break;
            }
#undef PAV_BLOCKS
        }
    }
}

// The whole factor that brings `width` to at most `max_width`, when the result keeps at least
// three quarters of the width swscale would give; 0 when none does (then swscale scales).
static int box_factor(int width, int height, int max_width) {
    if (width <= 0 || height <= 0 || max_width < 2) return 0;
    int k = (width + max_width - 1) / max_width;
    int target = width < max_width ? width : max_width;
    if (k > 48 || (width / k) * 4 < target * 3 || width / k < 2 || height / k < 2) return 0;
    return k;
}

void pav_range_maps(uint8_t luma[256], uint8_t chroma[256]) {
    for (int v = 0; v < 256; v++) {
        int x = (v - 16) * 255, y = (v - 128) * 255;  // each divided, rounded half away from 0
        int l = x >= 0 ? (x + 109) / 219 : -((-x + 109) / 219);
        int c = 128 + (y >= 0 ? (y + 112) / 224 : -((-y + 112) / 224));
        luma[v] = (uint8_t)(l < 0 ? 0 : l > 255 ? 255 : l);
        chroma[v] = (uint8_t)(c < 0 ? 0 : c > 255 ? 255 : c);
    }
}

// Scales the exposed luma plane down to the fixed small size by area averaging, as a gray
// picture in the plane's own range; NULL when it cannot be made. A plane whose size is a whole
// multiple of the small one (every 16:9 size from 640x360 to 3840x2160) is averaged over whole
// blocks here; any other goes through swscale's area filter.
const uint8_t *pav_small_luma(pav_session *s, const pav_picture *p) {
    if (!p->luma || p->width <= 0 || p->height <= 0) return NULL;
    if (!s->small && !(s->small = av_malloc(PAV_SMALL_WIDTH * PAV_SMALL_HEIGHT))) return NULL;
    int k = p->width / PAV_SMALL_WIDTH;
    if (p->bytes_per_sample == 1 && k >= 1 && k <= 48 && p->width == k * PAV_SMALL_WIDTH &&
        p->height == k * PAV_SMALL_HEIGHT) {
        pav_box_plane(p->luma, p->linesize, PAV_SMALL_WIDTH, PAV_SMALL_HEIGHT, k, NULL, s->small, PAV_SMALL_WIDTH);
        return s->small;
    }
    enum AVPixelFormat gray = AV_PIX_FMT_GRAY8;
    if (p->bytes_per_sample == 2) {
        switch (p->bit_depth) {
        case 9: gray = AV_PIX_FMT_GRAY9LE; break;
        case 10: gray = AV_PIX_FMT_GRAY10LE; break;
        case 12: gray = AV_PIX_FMT_GRAY12LE; break;
        case 14: gray = AV_PIX_FMT_GRAY14LE; break;
        default: gray = AV_PIX_FMT_GRAY16LE;
        }
    }
    s->small_sws = sws_getCachedContext(s->small_sws, p->width, p->height, gray, PAV_SMALL_WIDTH, PAV_SMALL_HEIGHT,
                                        AV_PIX_FMT_GRAY8, SWS_AREA, NULL, NULL, NULL);
    if (!s->small_sws) return NULL;
    // Gray in, gray out: no range conversion, the samples keep the plane's range.
    const uint8_t *src[4] = {p->luma, NULL, NULL, NULL};
    int src_stride[4] = {p->linesize, 0, 0, 0};
    uint8_t *dst[4] = {s->small, NULL, NULL, NULL};
    int dst_stride[4] = {PAV_SMALL_WIDTH, 0, 0, 0};
    int rows = sws_scale(s->small_sws, src, src_stride, 0, p->height, dst, dst_stride);
    return rows == PAV_SMALL_HEIGHT ? s->small : NULL;
}

int pav_snapshot_jpeg(pav_session *s, int max_width, int quality, pav_bytes *out, pav_status *status) {
    current_session = s;
    memset(out, 0, sizeof *out);
    AVFrame *f = s->frame;
    AVCodecContext *enc = NULL;
    AVFrame *small = NULL;
    AVPacket *pkt = NULL;
    struct SwsContext *sws = NULL;
    int ret = AVERROR(EINVAL);
    if (!f || f->width <= 0 || f->height <= 0 || !f->data[0]) goto done;
    // 8-bit 4:2:0 (what H.264 and H.265 cameras send) is reduced by a whole factor, each block
    // of samples averaged, here; anything else, or a size no whole factor suits, by swscale.
    int box = (f->format == AV_PIX_FMT_YUV420P || f->format == AV_PIX_FMT_YUVJ420P)
                  ? box_factor(f->width, f->height, max_width) : 0;
    int width = box ? f->width / box : f->width < max_width ? f->width : max_width;
    width &= ~1;
    int height = (box ? f->height / box : (int)((int64_t)f->height * width / f->width)) & ~1;
    if (width < 2 || height < 2) goto done;
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    ret = AVERROR_ENCODER_NOT_FOUND;
    if (!codec) goto done;
    ret = AVERROR(ENOMEM);
    enc = avcodec_alloc_context3(codec);
    small = av_frame_alloc();
    pkt = av_packet_alloc();
    if (!enc || !small || !pkt) goto done;
    small->format = AV_PIX_FMT_YUVJ420P;
    small->width = width;
    small->height = height;
    if ((ret = av_frame_get_buffer(small, 0)) < 0) goto done;
    // Limited-range video to the full range JPEG uses.
    int src_full = f->color_range == AVCOL_RANGE_JPEG;
    if (box) {
        src_full |= f->format == AV_PIX_FMT_YUVJ420P;
        uint8_t luma[256], chroma[256];
        pav_range_maps(luma, chroma);
        pav_box_plane(f->data[0], f->linesize[0], width, height, box, src_full ? NULL : luma, small->data[0],
                      small->linesize[0]);
        for (int plane = 1; plane <= 2; plane++)
            pav_box_plane(f->data[plane], f->linesize[plane], width / 2, height / 2, box, src_full ? NULL : chroma,
                          small->data[plane], small->linesize[plane]);
    } else {
        sws = sws_getContext(f->width, f->height, f->format, width, height, AV_PIX_FMT_YUVJ420P, SWS_AREA, NULL, NULL,
                             NULL);
        ret = AVERROR(EINVAL);
        if (!sws) goto done;
        const int *coefficients = sws_getCoefficients(SWS_CS_DEFAULT);
        sws_setColorspaceDetails(sws, coefficients, src_full, coefficients, 1, 0, 1 << 16, 1 << 16);
        sws_scale(sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, small->data, small->linesize);
    }
    if (quality < 1) quality = 1;
    if (quality > 100) quality = 100;
    int qscale = 31 - (quality - 1) * 29 / 99;  // 1 -> 31 (smallest), 100 -> 2 (best)
    enc->width = width;
    enc->height = height;
    enc->pix_fmt = AV_PIX_FMT_YUVJ420P;
    enc->color_range = AVCOL_RANGE_JPEG;
    enc->time_base = (AVRational){1, 25};
    enc->flags |= AV_CODEC_FLAG_QSCALE;
    enc->global_quality = FF_QP2LAMBDA * qscale;
    enc->thread_count = 1;
    if ((ret = avcodec_open2(enc, codec, NULL)) < 0) goto done;
    small->quality = enc->global_quality;
    small->pts = 0;
    if ((ret = avcodec_send_frame(enc, small)) < 0) goto done;
    if ((ret = avcodec_receive_packet(enc, pkt)) < 0) goto done;
    ret = AVERROR(ENOMEM);
    out->data = malloc((size_t)pkt->size);
    if (!out->data) goto done;
    memcpy(out->data, pkt->data, (size_t)pkt->size);
    out->size = pkt->size;
    out->width = width;
    out->height = height;
    ret = 0;
done:
    sws_freeContext(sws);
    av_packet_free(&pkt);
    av_frame_free(&small);
    avcodec_free_context(&enc);
    fill_status(s, ret, status);
    current_session = NULL;
    return ret;
}

void pav_free(void *data) { free(data); }

// A sender report whose NTP time is 0 ("no wallclock", RFC 3550 section 6.4.1) comes out of
// libavformat's unsigned arithmetic as 2^32 - 2208988800 s (early 2036), moved either way by the
// report's RTP timestamp against PLAY's (hours at most): it says nothing about the camera's clock.
#define PAV_NTP_ZERO_S 2085978496LL

int64_t pav_stream_realtime_origin_us(pav_session *s) {
    if (!s->fmt || s->fmt->start_time_realtime == AV_NOPTS_VALUE || s->fmt->start_time_realtime <= 0) return INT64_MIN;
    int64_t seconds = s->fmt->start_time_realtime / 1000000;
    if (seconds > PAV_NTP_ZERO_S - 86400 && seconds < PAV_NTP_ZERO_S + 86400) return INT64_MIN;
    return s->fmt->start_time_realtime;
}

int pav_unit_take(pav_session *s, int append) {
    if (!append) s->unit_size = 0;
    int size = s->pkt->size;
    if (size <= 0) return 0;
    int needed = s->unit_size + size + AV_INPUT_BUFFER_PADDING_SIZE;
    if (needed > s->unit_capacity) {
        int capacity = needed > 2 * s->unit_capacity ? needed : 2 * s->unit_capacity;
        uint8_t *grown = av_realloc(s->unit, capacity);
        if (!grown) return AVERROR(ENOMEM);
        s->unit = grown;
        s->unit_capacity = capacity;
    }
    if (!append) s->unit_stream = s->pkt->stream_index;
    memcpy(s->unit + s->unit_size, s->pkt->data, size);
    s->unit_size += size;
    memset(s->unit + s->unit_size, 0, AV_INPUT_BUFFER_PADDING_SIZE);
    return 0;
}

int pav_decode_unit(pav_session *s, pav_picture *out, pav_status *status) {
    current_session = s;
    s->interrupted = 0;
    memset(out, 0, sizeof *out);
    int ret = 0;
    AVPacket *unit = NULL;
    if (!s->fmt || s->unit_size == 0) {
        ret = AVERROR(EINVAL);
        goto done;
    }
    if (s->dec_stream != s->unit_stream) {
        ret = open_decoder(s, s->unit_stream);
        if (ret < 0) goto done;
    } else {
        avcodec_flush_buffers(s->dec);  // each decode starts afresh from a keyframe
    }
    unit = av_packet_alloc();
    if (!unit) {
        ret = AVERROR(ENOMEM);
        goto done;
    }
    unit->data = s->unit;  // borrowed: the packet holds no reference and frees nothing
    unit->size = s->unit_size;
    unit->flags = AV_PKT_FLAG_KEY;
    s->decode_errors = 0;
    av_frame_unref(s->frame);
    int sent = avcodec_send_packet(s->dec, unit);
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
    av_packet_free(&unit);
    fill_status(s, ret, status);
    current_session = NULL;
    return ret;
}

// Freed heap the trimmer leaves alone: about what the decode turns reuse (a 1080p keyframe's
// decoder holds some 5 MB), so a steady stream of picture checks never re-faults its buffers.
#define PAV_TRIM_SLACK ((size_t)16 << 20)

static void *trim_loop(void *unused) {
    (void)unused;
    for (;;) {
        sleep(1);
        if (mallinfo2().fordblks > PAV_TRIM_SLACK) malloc_trim(0);
    }
    return NULL;
}

void pav_tune_process(void) {
    // Decoder buffers stay on the heap, reused by the next decode, instead of being mapped and
    // unmapped for every picture check (page faults: about a third of a picture check's CPU).
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    // One arena: the probe threads allocate little (tcache serves them), and memory freed by one
    // thread is reusable by all instead of stranded in another arena (peak RSS of a cold sweep of
    // 1,580 cameras: 4 arenas 245 MB, 1 arena 160 MB).
    mallopt(M_ARENA_MAX, 1);
    // A burst (a cold sweep's 64 sessions and their results) leaves freed memory all over the
    // heap; glibc returns only its top. Each second, when more than the slack lies free, it is
    // given back (malloc_trim, which also releases free pages inside the heap).
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attributes, 64 << 10);
    if (pthread_create(&thread, &attributes, trim_loop, NULL) == 0) pthread_setname_np(thread, "patrol-trim");
    pthread_attr_destroy(&attributes);
}

void pav_release_decoder(pav_session *s) {
    avcodec_free_context(&s->dec);
    s->dec_stream = -1;
    av_frame_unref(s->frame);
    av_freep(&s->gray);
    s->gray_size = 0;
    av_freep(&s->small);
}

int pav_error_eof(void) { return AVERROR_EOF; }
int pav_error_exit(void) { return AVERROR_EXIT; }
int pav_error_invalid_data(void) { return AVERROR_INVALIDDATA; }
int pav_error_http_unauthorized(void) { return AVERROR_HTTP_UNAUTHORIZED; }
int pav_error_http_bad_request(void) { return AVERROR_HTTP_BAD_REQUEST; }
int pav_error_http_forbidden(void) { return AVERROR_HTTP_FORBIDDEN; }
int pav_error_http_not_found(void) { return AVERROR_HTTP_NOT_FOUND; }
int pav_error_http_other_4xx(void) { return AVERROR_HTTP_OTHER_4XX; }
int pav_error_http_server_error(void) { return AVERROR_HTTP_SERVER_ERROR; }
int pav_error_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
