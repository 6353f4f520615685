// The fault sweep's words: injections, leaks and call logs as a reader wants them in a failed
// test ("UDP 49152..49155 token 0x2a", "WSAENETDOWN (10050)"), never as bytes.
#include <portres/describe.h>
#include <portres/fault_sweep.h>
#include <portres/winsock_error.h>

#include <string>

namespace portres {

std::string DescribeInjection(const SweepInjection& injection) {
  if (injection.effect == SweepEffect::kNone) return "no fault";
  std::string call =
      "call " + std::to_string(injection.call_index) + " " + std::string(ApiName(injection.api));
  if (injection.api == Api::kWSAIoctl || injection.api == Api::kWSPIoctl) {
    call += "(" + DescribeIoctl(injection.code) + ")";
  }
  switch (injection.effect) {
    case SweepEffect::kError:
      return call + " failing with " + DescribeError(injection.error);
    case SweepEffect::kPendThenComplete:
      return call + " pending, then completing";
    case SweepEffect::kPendThenAbort:
      return call + " pending, then aborted with " + DescribeError(WSA_OPERATION_ABORTED);
    case SweepEffect::kNone:
      break;
  }
  return call;
}

std::string InjectionTestName(const SweepInjection& injection) {
  if (injection.effect == SweepEffect::kNone) return "NoFault";
  std::string name =
      "call" + std::to_string(injection.call_index) + "_" + std::string(ApiName(injection.api));
  if (injection.api == Api::kWSAIoctl || injection.api == Api::kWSPIoctl) {
    std::string_view ioctl = IoctlName(injection.code);
    name += "_" + (ioctl.empty() ? "ioctl" + std::to_string(injection.code) : std::string(ioctl));
  }
  switch (injection.effect) {
    case SweepEffect::kError: {
      std::string_view error = ErrorName(injection.error);
      name +=
          "_" + (error.empty() ? "error" + std::to_string(injection.error) : std::string(error));
      break;
    }
    case SweepEffect::kPendThenComplete:
      name += "_PendThenComplete";
      break;
    case SweepEffect::kPendThenAbort:
      name += "_PendThenAbort";
      break;
    case SweepEffect::kNone:
      break;
  }
  return name;
}

std::string SweepRun::Report() const {
  std::string text = "Under fault: " + DescribeInjection(injection) + "\n";
  for (const SocketInfo& socket : leaked_sockets) {
    text += "  leaked " + Describe(socket) + "\n";
  }
  for (const ReservationInfo& reservation : leaked_reservations) {
    text += "  leaked reservation " + Describe(reservation) + "\n";
  }
  if (pending_calls_left != 0) {
    text += "  left " + std::to_string(pending_calls_left) + " overlapped call(s) pending\n";
  }
  for (const std::string& problem : problems) text += "  " + problem + "\n";
  if (!call_log.empty()) {
    text += "  call log of this run:\n";
    bool cleanup_marked = false;
    for (const CallRecord& record : call_log) {
      if (!cleanup_marked && record.call.index >= scenario_calls) {
        text += "    -- the scenario returned; cleanup by the sweep:\n";
        cleanup_marked = true;
      }
      text += "    " + Describe(record) + "\n";
    }
  }
  return text;
}

std::string SweepResult::Report() const {
  std::string text = "fault sweep: " + std::to_string(runs) + " runs over " +
                     std::to_string(recorded_calls.size()) + " calls, " +
                     std::to_string(failures.size()) + " failed\n";
  for (const SweepRun& run : failures) text += "\n" + run.Report();
  return text;
}

}  // namespace portres
