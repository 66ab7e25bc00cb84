// The picture reductions a probe makes, timed beside swscale's area filter in one run: the small
// luma for the scene checks (8-bit luma to 320x180) and the snapshot's planes (yuv420p to a
// full-range 640-wide yuvj420p), at 720p and 1080p. Built by scripts/bench-reduce with the
// release build's compiler and flags against the shim's own source.
#include "patrol_av.h"

#include <libavutil/pixfmt.h>
#include <libswscale/swscale.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint8_t *noise(size_t n) {
    uint8_t *p = malloc(n);
    uint32_t state = 2463534242u;
    for (size_t i = 0; i < n; i++) {
        state ^= state << 13; state ^= state >> 17; state ^= state << 5;
        p[i] = (uint8_t)state;
    }
    return p;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 300;
    const int sizes[][2] = {{1280, 720}, {1920, 1080}};
    av_log_set_level(AV_LOG_ERROR);
    printf("%-34s %12s %12s\n", "reduction (ms each, mean)", "block means", "swscale area");
    for (int i = 0; i < 2; i++) {
        int w = sizes[i][0], h = sizes[i][1];
        uint8_t *y = noise((size_t)w * h), *u = noise((size_t)w * h / 4), *v = noise((size_t)w * h / 4);
        uint8_t small[PAV_SMALL_WIDTH * PAV_SMALL_HEIGHT];
        int k = w / PAV_SMALL_WIDTH;
        double t0 = now();
        for (int n = 0; n < rounds; n++) pav_box_plane(y, w, PAV_SMALL_WIDTH, PAV_SMALL_HEIGHT, k, NULL, small, PAV_SMALL_WIDTH);
        double box = (now() - t0) / rounds * 1e3;
        t0 = now();
        for (int n = 0; n < rounds; n++) {  // as the shim used it: a context for each picture
            struct SwsContext *s = sws_getContext(w, h, AV_PIX_FMT_GRAY8, PAV_SMALL_WIDTH, PAV_SMALL_HEIGHT, AV_PIX_FMT_GRAY8,
                                                  SWS_AREA, NULL, NULL, NULL);
            const uint8_t *src[4] = {y}; int ss[4] = {w}; uint8_t *dst[4] = {small}; int ds[4] = {PAV_SMALL_WIDTH};
            sws_scale(s, src, ss, 0, h, dst, ds);
            sws_freeContext(s);
        }
        double sws = (now() - t0) / rounds * 1e3;
        char label[64];
        snprintf(label, sizeof label, "%dx%d luma to 320x180", w, h);
        printf("%-34s %12.3f %12.3f\n", label, box, sws);

        int f = (w + 639) / 640, ow = w / f, oh = h / f;
        uint8_t *oy = malloc((size_t)ow * oh), *ou = malloc((size_t)ow * oh / 4), *ov = malloc((size_t)ow * oh / 4);
        uint8_t luma[256], chroma[256];
        t0 = now();
        for (int n = 0; n < rounds; n++) {  // as pav_snapshot_jpeg does: the tables, then three planes
            pav_range_maps(luma, chroma);
            pav_box_plane(y, w, ow, oh, f, luma, oy, ow);
            pav_box_plane(u, w / 2, ow / 2, oh / 2, f, chroma, ou, ow / 2);
            pav_box_plane(v, w / 2, ow / 2, oh / 2, f, chroma, ov, ow / 2);
        }
        box = (now() - t0) / rounds * 1e3;
        t0 = now();
        for (int n = 0; n < rounds; n++) {
            struct SwsContext *s = sws_getContext(w, h, AV_PIX_FMT_YUV420P, ow, oh, AV_PIX_FMT_YUVJ420P, SWS_AREA, NULL, NULL, NULL);
            const int *co = sws_getCoefficients(SWS_CS_DEFAULT);
            sws_setColorspaceDetails(s, co, 0, co, 1, 0, 1 << 16, 1 << 16);
            const uint8_t *src[4] = {y, u, v}; int ss[4] = {w, w / 2, w / 2};
            uint8_t *dst[4] = {oy, ou, ov}; int ds[4] = {ow, ow / 2, ow / 2};
            sws_scale(s, src, ss, 0, h, dst, ds);
            sws_freeContext(s);
        }
        sws = (now() - t0) / rounds * 1e3;
        snprintf(label, sizeof label, "%dx%d yuv420p to %dx%d yuvj", w, h, ow, oh);
        printf("%-34s %12.3f %12.3f\n", label, box, sws);
        free(y); free(u); free(v); free(oy); free(ou); free(ov);
    }
    return 0;
}
