import Foundation
import GRDB
import PatrolLedger

/// A time as the store keeps it: GRDB's text form of a `Date` ("yyyy-MM-dd HH:mm:ss.SSS", UTC,
/// to the nearest millisecond), written here by integer arithmetic instead of GRDB's
/// DateFormatter, whose ICU formatting was a tenth of the writer's time. The very same text:
/// StoredTimeTests compares the two over many instants; GRDB reads it back as a `Date`.
struct StoredTime: DatabaseValueConvertible {
    let date: Date

    init(_ date: Date) { self.date = date }

    var databaseValue: DatabaseValue { Self.text(date).databaseValue }

    static func fromDatabaseValue(_ dbValue: DatabaseValue) -> StoredTime? { Date.fromDatabaseValue(dbValue).map(StoredTime.init) }

    /// `date` as GRDB writes it.
    static func text(_ date: Date) -> String {
        // The milliseconds since 1970 as Foundation hands them to ICU, rounded half up as it formats them.
        let milliseconds = Int64(((date.timeIntervalSinceReferenceDate + Date.timeIntervalBetween1970AndReferenceDate) * 1000 + 0.5).rounded(.down))
        let (days, inDay) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        let (day, millisecond) = inDay < 0 ? (days - 1, inDay + 86_400_000) : (days, inDay)
        let (year, month, date) = PatrolDay(ordinal: Int(day)).components
        let seconds = millisecond / 1000
        var bytes = [UInt8](repeating: 0, count: 23)
        func put(_ value: some BinaryInteger, _ at: Int, _ width: Int) {
            var value = Int64(value)
            for index in stride(from: at + width - 1, through: at, by: -1) {
                bytes[index] = UInt8(48 + value % 10)
                value /= 10
            }
        }
        put(year, 0, 4); bytes[4] = 45; put(month, 5, 2); bytes[7] = 45; put(date, 8, 2); bytes[10] = 32
        put(seconds / 3600, 11, 2); bytes[13] = 58; put(seconds / 60 % 60, 14, 2); bytes[16] = 58; put(seconds % 60, 17, 2)
        bytes[19] = 46; put(millisecond % 1000, 20, 3)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Optional where Wrapped == Date {
    /// The time as the store keeps it, nil as NULL.
    var stored: StoredTime? { map(StoredTime.init) }
}

extension Date {
    var stored: StoredTime { StoredTime(self) }
}
