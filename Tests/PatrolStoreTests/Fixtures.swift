import Foundation

let t0 = Date(timeIntervalSince1970: 1_790_000_000)  // a fixed instant: 2026-09-21
