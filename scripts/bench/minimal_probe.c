// The benchmarks' floor: the least an in-process libavformat probe can do, open an RTSP
// stream over TCP and read until the first video keyframe, under an 8 s deadline. No decode,
// no measurements (with -d: the first keyframe's packet is decoded too, one thread, as the
// least a probe that looks at the picture can do). Reads URLs from stdin, probes them with N
// threads, prints one JSON line.
//
//   cc -O2 -o minimal_probe minimal_probe.c $(pkg-config --cflags --libs libavformat libavcodec libavutil) -lpthread
//   minimal_probe [-c CONCURRENCY] [-d] < urls.txt
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char **urls;
static int count;
static atomic_int next_index, failures;
static int decode_keyframe;

// Decodes one keyframe packet alone (send, drain); 1 when a picture came out.
static int decode(const AVCodecParameters *par, const AVPacket *pkt) {
    const AVCodec *codec = avcodec_find_decoder(par->codec_id);
    AVCodecContext *dec = codec ? avcodec_alloc_context3(codec) : NULL;
    AVFrame *frame = av_frame_alloc();
    int ok = 0;
    if (dec && frame && avcodec_parameters_to_context(dec, par) >= 0) {
        dec->thread_count = 1;
        if (avcodec_open2(dec, codec, NULL) >= 0 && avcodec_send_packet(dec, pkt) >= 0) {
            avcodec_send_packet(dec, NULL);
            ok = avcodec_receive_frame(dec, frame) >= 0;
        }
    }
    av_frame_free(&frame);
    avcodec_free_context(&dec);
    return ok;
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int interrupt(void *opaque) { return now_ns() > *(int64_t *)opaque; }

static int probe(const char *url) {
    int64_t deadline = now_ns() + 8000000000LL;
    AVFormatContext *fmt = avformat_alloc_context();
    fmt->interrupt_callback.callback = interrupt;
    fmt->interrupt_callback.opaque = &deadline;
    AVDictionary *options = NULL;
    av_dict_set(&options, "rtsp_transport", "tcp", 0);
    av_dict_set(&options, "timeout", "9000000", 0);
    int ok = 0;
    if (avformat_open_input(&fmt, url, NULL, &options) >= 0) {
        AVPacket *pkt = av_packet_alloc();
        while (av_read_frame(fmt, pkt) >= 0) {
            const AVCodecParameters *par = fmt->streams[pkt->stream_index]->codecpar;
            int key = par->codec_type == AVMEDIA_TYPE_VIDEO && (pkt->flags & AV_PKT_FLAG_KEY);
            if (key) ok = decode_keyframe ? decode(par, pkt) : 1;
            av_packet_unref(pkt);
            if (key) break;
        }
        av_packet_free(&pkt);
        avformat_close_input(&fmt);
    } else {
        avformat_free_context(fmt);
    }
    av_dict_free(&options);
    return ok;
}

static void *worker(void *unused) {
    (void)unused;
    for (int i; (i = atomic_fetch_add(&next_index, 1)) < count;)
        if (!probe(urls[i])) atomic_fetch_add(&failures, 1);
    return NULL;
}

int main(int argc, char **argv) {
    int concurrency = 64;
    for (int opt; (opt = getopt(argc, argv, "c:d")) != -1;) {
        if (opt == 'c') concurrency = atoi(optarg);
        if (opt == 'd') decode_keyframe = 1;
    }
    av_log_set_level(AV_LOG_QUIET);
    avformat_network_init();
    size_t capacity = 4096;
    urls = malloc(capacity * sizeof *urls);
    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!*line) continue;
        if ((size_t)count == capacity) urls = realloc(urls, (capacity *= 2) * sizeof *urls);
        urls[count++] = strdup(line);
    }
    int64_t start = now_ns();
    pthread_t *threads = malloc(concurrency * sizeof *threads);
    for (int i = 0; i < concurrency; i++) pthread_create(&threads[i], NULL, worker, NULL);
    for (int i = 0; i < concurrency; i++) pthread_join(threads[i], NULL);
    printf("{\"probes\": %d, \"failures\": %d, \"wall_s\": %.3f}\n", count, atomic_load(&failures),
           (now_ns() - start) / 1e9);
    return 0;
}
