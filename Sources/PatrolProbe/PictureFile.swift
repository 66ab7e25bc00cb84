import Foundation
import PatrolAV

/// A picture read from a file (a snapshot Patrol saved, or any JPEG or PNG), measured the way
/// a probe measures a stream's picture.
public enum PictureFile {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The scene of the picture at `path`, for comparison with a stream's.
    public static func scene(at path: String) throws -> SceneSignature {
        guard FileManager.default.isReadableFile(atPath: path) else { throw Failure(description: "\(path): cannot read the picture") }
        guard let session = pav_session_create() else { throw Failure(description: "out of memory") }
        defer { pav_session_release(session) }
        pav_set_stop_at(session, pav_now_ns() + 10_000_000_000)
        var status = pav_status()
        let opened = path.withCString { cPath in
            var params = pav_open_params(url: cPath, rtsp_transport: nil, io_timeout_us: 10_000_000, user_agent: nil)
            return pav_open(session, &params, &status)
        }
        guard opened >= 0 else { throw Failure(description: "\(path): not a picture FFmpeg can open") }
        var packet = pav_packet()
        repeat {
            guard pav_read(session, &packet, &status) >= 0 else { throw Failure(description: "\(path): holds no picture") }
        } while packet.media != PAV_MEDIA_VIDEO
        var picture = pav_picture()
        defer { pav_release_decoder(session) }
        guard pav_unit_take(session, 0) >= 0, pav_decode_unit(session, &picture, &status) >= 0,
              let scene = SceneSignature(session, picture: picture)
        else { throw Failure(description: "\(path): the picture does not decode") }
        return scene
    }
}
