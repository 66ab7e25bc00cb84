// patrol_av: the only place Patrol calls FFmpeg.
//
// A session opens one stream, reads packets and decodes single pictures. Every blocking
// call is bound by the session's stop time (an absolute pav_now_ns() instant), enforced by
// an AVIOInterruptCB that FFmpeg polls while it waits on the network, with socket timeouts
// as a backstop. No FFmpeg type crosses this header.
#ifndef PATROL_AV_H
#define PATROL_AV_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pav_session pav_session;

typedef enum {
    PAV_MEDIA_OTHER = 0,
    PAV_MEDIA_VIDEO = 1,
    PAV_MEDIA_AUDIO = 2,
} pav_media;

/// What a failed (or successful) call left behind, for classification by the caller.
typedef struct {
    int averror;      ///< FFmpeg's return code (0 or a negative AVERROR)
    int os_errno;     ///< the POSIX errno when averror is AVERROR(errno), else 0
    int status_code;  ///< last RTSP/HTTP status >= 300 the far end answered, else 0
    int interrupted;  ///< 1 when the stop time ended the call
    char method[16];  ///< the RTSP request the status answered ("SETUP"), empty when unknown
    char request[16]; ///< the RTSP request sent last while opening (the one a timeout left unanswered)
    int setup_refused;///< the SETUP was refused or answered with another transport than asked
    int redirected;   ///< the far end answered with a redirect, which is never followed
    char redirect_target[512]; ///< the Location it named; may carry credentials: redact before use
    int not_rtsp;     ///< the far end answered a request with something that is not RTSP
    char answer[64];  ///< the start of that answer, as received: sanitise before printing
    char message[128];///< av_strerror text (never contains the URL)
} pav_status;

typedef struct {
    const char *url;            ///< may carry credentials; never logged here
    const char *rtsp_transport; ///< "tcp" or "udp" for rtsp:// URLs, NULL otherwise
    int64_t io_timeout_us;      ///< socket I/O timeout, a backstop to the stop time
    const char *user_agent;
} pav_open_params;

typedef struct {
    int stream_index;
    pav_media media;
    int key;
    int corrupt;
    int size;
    /// Bytes of coded picture data (H.264/H.265 slice NAL units; filler data, SEI and
    /// parameter sets excluded); `size` for other codecs.
    int coded_size;
    /// For a keyframe packet: a 64-bit hash of its coded picture bytes (the same slice NAL
    /// units `coded_size` counts; the whole packet for other codecs), so a keyframe sent
    /// again byte for byte is known without decoding it; 0 for other packets.
    uint64_t coded_hash;
    /// The read that returned it was ended by the stop time: the demuxer handed over what
    /// its parser still held, so the packet's bytes arrived before, not now.
    int flushed;
    int64_t pts;       ///< INT64_MIN when unknown
    int64_t dts;       ///< INT64_MIN when unknown
    double time_base;  ///< seconds per tick of pts/dts
    int64_t arrival_ns;
} pav_packet;

typedef struct {
    int video_streams;
    int audio_streams;
    int other_streams;
    int streams_are_dynamic;   ///< the container may add streams while reading (FLV, ...)
    const char *format_name;   ///< short demuxer name, e.g. "rtsp"
    const char *video_codec;   ///< first video stream's codec name, NULL if none
    const char *audio_codec;   ///< first audio stream's codec name, NULL if none
    double declared_fps;       ///< from the container/SDP, 0 if not declared
} pav_streams;

/// One decoded picture's luma plane and the decoder's view of the stream.
/// `luma` stays valid until the next decode on the session or its release.
typedef struct {
    const uint8_t *luma;
    int linesize;          ///< bytes per row
    int width;
    int height;
    int bytes_per_sample;  ///< 1 or 2 (little-endian for 2)
    int bit_depth;
    int full_range;        ///< 1 for full (0..max) range, 0 for limited (16..235 at 8 bit)
    int decode_errors;     ///< errors the decoder reported while producing it
    int corrupt_flag;      ///< the decoder flagged the frame corrupt or concealed
    const char *codec;
    const char *profile;   ///< NULL when unknown
    int level;             ///< codec level as the decoder reports it, <= 0 when unknown
    const char *pix_fmt;
    double declared_fps;   ///< from the bitstream (e.g. H.264 VUI), 0 when absent
} pav_picture;

#define PAV_SMALL_WIDTH 320
#define PAV_SMALL_HEIGHT 180

/// Bytes allocated by the shim for the caller, who frees them with pav_free.
typedef struct {
    uint8_t *data;
    int size;
    int width;
    int height;
} pav_bytes;

/// Monotonic clock in nanoseconds; the one clock every stop time is expressed in.
int64_t pav_now_ns(void);

pav_session *pav_session_create(void);
/// Closes the stream (an RTSP TEARDOWN is sent without waiting) and frees everything.
void pav_session_release(pav_session *s);

/// Every blocking call returns once this instant passes. Resets the interrupted flag.
void pav_set_stop_at(pav_session *s, int64_t stop_at_ns);

int pav_open(pav_session *s, const pav_open_params *params, pav_status *status);
void pav_describe_streams(pav_session *s, pav_streams *out);
/// Reads the next packet (held in the session until the next read).
int pav_read(pav_session *s, pav_packet *out, pav_status *status);
/// The lower transport the RTSP session was set up with: "tcp", "udp", or NULL if unknown.
const char *pav_rtsp_lower_transport(pav_session *s);
/// Starts an access unit with the held packet (`append` 0), or appends the held packet to
/// the one started (`append` 1): a picture may arrive as several packets sharing one
/// timestamp (slices, parameter sets in front of a keyframe).
int pav_unit_take(pav_session *s, int append);
/// Decodes the access unit taken (it must begin with a keyframe to yield a picture).
int pav_decode_unit(pav_session *s, pav_picture *out, pav_status *status);

/// The luma plane of `picture` (the last decode's) scaled down to PAV_SMALL_WIDTH x
/// PAV_SMALL_HEIGHT by area averaging, 8 bits a sample, in the picture's range (`full_range`):
/// the same small picture for every resolution, which scene comparisons use. Made only when
/// asked for; valid until the next decode or pav_release_decoder. NULL when it cannot be made.
const uint8_t *pav_small_luma(pav_session *s, const pav_picture *picture);

/// Averages each `k` x `k` block (k from 1 to 48) of an 8-bit plane into one sample of `dst` (`out_width` x
/// `out_height` blocks, read from the plane's top left; columns and rows past the last whole
/// block are left out), each mean rounded and then looked up in `map` (256 entries) when given.
/// The snapshot's and the small luma's reduction by a whole factor; public for its tests.
void pav_box_plane(const uint8_t *src, int src_stride, int out_width, int out_height, int k, const uint8_t *map,
                   uint8_t *dst, int dst_stride);

/// Fills the tables mapping limited-range samples (luma 16-235, chroma 16-240) to the full
/// range JPEG has (0-255), rounded, clipped below and above.
void pav_range_maps(uint8_t luma[256], uint8_t chroma[256]);

/// Encodes the picture the last decode made (before pav_release_decoder) as a JPEG at most
/// `max_width` pixels wide (never enlarged; the aspect kept), `quality` 1 (smallest) to 100.
/// 8-bit 4:2:0 pictures are reduced by the whole factor that brings them to at most
/// `max_width` (1280 and 1920 wide to 640, 2688 to 536), each block of samples averaged, when
/// that keeps three quarters of `max_width` or of a narrower picture's width; others (704
/// wide, 4:2:2, 10-bit) are scaled by swscale's area filter to `max_width` exactly.
int pav_snapshot_jpeg(pav_session *s, int max_width, int quality, pav_bytes *out, pav_status *status);
void pav_free(void *data);

/// The far end's wall clock at the stream's timestamp 0, in microseconds since the Unix
/// epoch, as its first RTCP sender report set it; INT64_MIN until one arrived (or never, for
/// streams without RTCP), and for a report that carries no wall clock (NTP time 0).
int64_t pav_stream_realtime_origin_us(pav_session *s);

/// Frees the decoder and the picture it made (a probe holds decoder memory only while it
/// looks at a picture; many probes run at once). The next decode opens a new one.
void pav_release_decoder(pav_session *s);

/// Keeps large buffers on the heap instead of mapping and unmapping them for every probe, in one
/// arena (glibc mallopt), and starts a thread that returns freed memory beyond a slack to the
/// system each second. Call once at process start.
void pav_tune_process(void);

/// The averror codes the classifier needs, exported as numbers.
int pav_error_eof(void);
int pav_error_exit(void);
int pav_error_invalid_data(void);
int pav_error_http_unauthorized(void);
int pav_error_http_bad_request(void);
int pav_error_http_forbidden(void);
int pav_error_http_not_found(void);
int pav_error_http_other_4xx(void);
int pav_error_http_server_error(void);
int pav_error_decoder_not_found(void);

#ifdef __cplusplus
}
#endif

#endif
