import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks that the load generator itself was not the bottleneck: its own CPU use (getrusage)
/// over the run, and how late requests started relative to their schedule (excluding those
/// that waited for a slot under `--max-concurrency`, which is intended).
public struct LoadGeneratorCheck: Sendable, Equatable {
    /// CPU use above this share of one core draws a warning (in runs of a second or more).
    public static let cpuWarningFraction = 0.5
    /// A request starting later than this after its scheduled time counts as late.
    public static let lateThreshold = 0.010

    /// CPU seconds (user + system) the process used during the run.
    public var cpuSeconds: Double
    /// Wall seconds of the run.
    public var wallSeconds: Double
    /// Lateness of each request that did not wait for a slot, seconds.
    public var lateness: [Double]

    /// A check from measured values.
    public init(cpuSeconds: Double, wallSeconds: Double, lateness: [Double]) {
        self.cpuSeconds = cpuSeconds
        self.wallSeconds = wallSeconds
        self.lateness = lateness
    }

    /// CPU use as a percentage of one core.
    public var cpuPercent: Double { wallSeconds > 0 ? 100 * cpuSeconds / wallSeconds : 0 }
    /// Requests that started late.
    public var lateCount: Int { lateness.filter { $0 > Self.lateThreshold }.count }
    /// The largest lateness, ms.
    public var maxLatenessMs: Double { (lateness.max() ?? 0) * 1000 }

    /// Human-readable warnings; empty when the run looks sound.
    public var warnings: [String] {
        var warnings: [String] = []
        if wallSeconds >= 1, cpuPercent > Self.cpuWarningFraction * 100 {
            warnings.append(String(
                format: "the load generator used %.0f%% of a CPU core: it may have limited the results", cpuPercent
            ))
        }
        if lateCount > 0 {
            warnings.append(String(
                format: "%d requests started more than %.0f ms after their scheduled time (max %.1f ms): the load generator fell behind its schedule",
                lateCount, Self.lateThreshold * 1000, maxLatenessMs
            ))
        }
        return warnings
    }

    #if canImport(Glibc)
    private static let RUSAGE_SELF_WHO = __rusage_who_t(RUSAGE_SELF.rawValue)
    #else
    private static let RUSAGE_SELF_WHO = RUSAGE_SELF
    #endif

    /// CPU seconds (user + system) this process has used so far.
    public static func processCPUSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF_WHO, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
