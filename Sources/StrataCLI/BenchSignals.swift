import Foundation
import StrataBench
import UnixSignals

/// SIGINT and SIGTERM during `strata bench run`: the first requests `stop` (no new requests,
/// those in flight get the grace period, the reports are still written), the second aborts the
/// process at once with status 128 + the signal number.
enum BenchSignals {
    /// Watches for the signals until the calling task is cancelled.
    static func watch(_ stop: BenchStop) async {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        for await signal in signals {
            if stop.isRequested {
                printError("strata bench: \(signal) again: aborting without reports")
                exit(128 + signal.rawValue)
            }
            stop.request(signal.description)
            printError(
                "strata bench: \(signal): sending no new requests; waiting up to \(stop.grace) s for those in flight "
                    + "(\(signal) again aborts)"
            )
        }
    }

    /// The exit status of a run stopped by `reason` (`"SIGINT"` → 130, `"SIGTERM"` → 143).
    static func exitStatus(_ reason: String) -> Int32 {
        reason == UnixSignal.sigterm.description ? 128 + UnixSignal.sigterm.rawValue : 128 + UnixSignal.sigint.rawValue
    }
}
