import Foundation

/// The patrol days' time zone of the test districts: `patrol.time_zone`'s default.
public let patrolZone = TimeZone(identifier: "Asia/Shanghai")!
