import ServiceLifecycle
import UnixSignals

/// The daemon's signals as a service. SIGHUP reloads (`SweeperService.reload`). SIGTERM and
/// SIGINT stop: no new probes from that moment, STOPPING=1 with the status line and a log line
/// saying how many are in flight;
/// then the service returns and its group stops the others gracefully, the sweeper first.
public final class SignalService: Service, Sendable {
    private let signals: UnixSignalsSequence
    private let sweeper: SweeperService
    private let status: StatusService

    /// - Parameter signals: SIGTERM, SIGINT and SIGHUP, trapped from the daemon's start on.
    public init(signals: UnixSignalsSequence, sweeper: SweeperService, status: StatusService) {
        self.signals = signals
        self.sweeper = sweeper
        self.status = status
    }

    public func run() async {
        for await signal in signals.cancelOnGracefulShutdown() {
            if signal == .sighup {
                await sweeper.reload()
                continue
            }
            let (_, inFlight) = sweeper.stop()
            status.stopping(inFlight: inFlight)
            Journal.notice("stopping (\(signal == .sigint ? "SIGINT" : "SIGTERM")): no new probes; \(inFlight) in flight finish within their deadline")
            return
        }
    }
}
