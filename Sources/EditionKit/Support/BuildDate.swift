import Foundation

/// The one date a build stamps on its outputs (zip entry times, `dcterms:modified`): the
/// book's publication date at midnight UTC, or SOURCE_DATE_EPOCH when it is set, so that the
/// same input always gives the same bytes.
public struct BuildDate: Hashable, Sendable {
    /// Seconds since 1970-01-01 UTC.
    public let epoch: Int

    public init(epoch: Int) { self.epoch = epoch }

    /// From SOURCE_DATE_EPOCH in `environment` when it holds a number, else from `isoDate`.
    public init(isoDate: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let text = environment["SOURCE_DATE_EPOCH"], let epoch = Int(text.trimmingCharacters(in: .whitespaces)), epoch >= 0 {
            self.epoch = epoch
            return
        }
        let parts = isoDate.split(separator: "-").compactMap { Int($0) }
        var components = DateComponents()
        components.year = parts.first ?? 1980
        components.month = parts.count > 1 ? parts[1] : 1
        components.day = parts.count > 2 ? parts[2] : 1
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        self.epoch = Int(calendar.date(from: components)?.timeIntervalSince1970 ?? 315_532_800)
    }

    private var components: DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                       from: Date(timeIntervalSince1970: TimeInterval(epoch)))
    }

    /// `2026-06-01T00:00:00Z`, for `dcterms:modified`.
    public var iso8601: String {
        let c = components
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// The MS-DOS time and date words a zip entry stores (years before 1980 are clamped).
    public var dosTimeAndDate: (time: UInt16, date: UInt16) {
        let c = components
        guard c.year! >= 1980 else { return (0, UInt16((1 << 5) | 1)) }
        let time = UInt16(c.hour! << 11 | c.minute! << 5 | c.second! / 2)
        let date = UInt16((c.year! - 1980) << 9 | c.month! << 5 | c.day!)
        return (time, date)
    }
}
