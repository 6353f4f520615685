// The fault sweep's words: injections, leaks and call logs as a reader wants them in a failed
// test ("UDP 49152..49155 token 0x2a", "WSAENETDOWN (10050)"), never as bytes.
#include <portres/describe.h>
#include <portres/fault_sweep.h>
#include <portres/leaks.h>
#include <portres/winsock_error.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace portres {
namespace {

// A Winsock error, or the Win32 code an iphlpapi function returns.
std::string DescribeCode(Api api, int code) {
  return IsIpHelperApi(api) ? DescribeWin32Error(static_cast<unsigned long>(code))
                            : DescribeError(code);
}

std::string_view CodeName(Api api, int code) {
  return IsIpHelperApi(api) ? Win32ErrorName(static_cast<unsigned long>(code)) : ErrorName(code);
}

// The call an injection hits: "call 3 WSAIoctl(SIO_RELEASE_PORT_RESERVATION)".
std::string DescribeInjectedCall(const SweepInjection& injection) {
  std::string call =
      "call " + std::to_string(injection.call_index) + " " + std::string(ApiName(injection.api));
  if (injection.api == Api::kWSAIoctl || injection.api == Api::kWSPIoctl) {
    call += "(" + DescribeIoctl(injection.code) + ")";
  }
  return call;
}

std::string DescribeLogs(const SweepRun& run, const std::string& title) {
  std::string text;
  if (!run.call_log.empty()) {
    text += "  " + title + ":\n";
    bool cleanup_marked = false;
    for (const CallRecord& record : run.call_log) {
      if (!cleanup_marked && record.call.index >= run.scenario_calls) {
        text += "    -- the scenario returned; cleanup by the sweep:\n";
        cleanup_marked = true;
      }
      text += "    " + Describe(record) + "\n";
    }
  }
  if (!run.ip_helper_call_log.empty()) {
    text += "  iphlpapi calls:\n";
    for (const CallRecord& record : run.ip_helper_call_log) {
      text += "    " + Describe(record) + "\n";
    }
  }
  return text;
}

}  // namespace

std::string DescribeInjection(const SweepInjection& injection) {
  if (injection.effect == SweepEffect::kNone) return "no fault";
  std::string call = DescribeInjectedCall(injection);
  switch (injection.effect) {
    case SweepEffect::kError:
      return call + " failing with " + DescribeCode(injection.api, injection.error);
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
      std::string_view error = CodeName(injection.api, injection.error);
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

std::string SweepRun::Findings() const {
  std::string text;
  if (!leaked_sockets.empty() || !leaked_reservations.empty()) {
    text += DescribeLeaks(Leaks{leaked_reservations, leaked_sockets}, "  ");
  }
  if (pending_calls_left != 0) {
    text += "  left " + std::to_string(pending_calls_left) + " overlapped call(s) pending\n";
  }
  for (const std::string& problem : problems) text += "  " + problem + "\n";
  return text;
}

std::string SweepRun::Report() const {
  return "Under fault: " + DescribeInjection(injection) + "\n" + Findings() +
         DescribeLogs(*this, "call log of this run");
}

std::vector<std::string> SweepResult::ReportEntries() const {
  // Runs that found the same at the same call (its index, method, IOCTL and kind of effect).
  struct Group {
    const SweepRun* first;
    std::string findings;
    std::vector<int> errors;
  };
  std::vector<Group> groups;
  const SweepRun* recording = nullptr;
  std::string recording_findings;
  std::size_t same_as_recording = 0;
  for (const SweepRun& run : failures) {
    const std::string findings = run.Findings();
    if (run.injection.effect == SweepEffect::kNone) {
      recording = &run;
      recording_findings = findings;
      continue;
    }
    if (recording != nullptr && findings == recording_findings) {
      ++same_as_recording;
      continue;
    }
    auto same = [&](const Group& group) {
      const SweepInjection& a = group.first->injection;
      const SweepInjection& b = run.injection;
      return a.call_index == b.call_index && a.api == b.api && a.code == b.code &&
             a.effect == b.effect && group.findings == findings;
    };
    auto it = std::find_if(groups.begin(), groups.end(), same);
    if (it == groups.end()) {
      groups.push_back(Group{&run, findings, {}});
      it = groups.end() - 1;
    }
    if (run.injection.effect == SweepEffect::kError) it->errors.push_back(run.injection.error);
  }

  std::vector<std::string> entries;
  if (recording != nullptr) {
    std::string text = "Under no fault (the recording run):\n" + recording_findings;
    text += "  Fix this first: the scenario fails without any fault, so every run fails the same";
    text += same_as_recording == 0 ? ".\n"
                                   : "; the " + std::to_string(same_as_recording) +
                                         " runs that find nothing more are not listed.\n";
    if (recording_leaks_unreturned_sockets) {
      text +=
          "  The scenario returns no sockets, so every socket it leaves open is a leak. If it "
          "keeps them open on purpose, return them (a SOCKET or std::vector<SOCKET>) or close "
          "them in SweepOptions::WithCleanup.\n";
    }
    entries.push_back(text + DescribeLogs(*recording, "call log of this run"));
  }
  for (const Group& group : groups) {
    const SweepInjection& injection = group.first->injection;
    std::string text = "Under fault: ";
    if (group.errors.size() > 1) {
      text += DescribeInjectedCall(injection) + " failing with any of " +
              std::to_string(group.errors.size()) + " errors: ";
      for (std::size_t i = 0; i < group.errors.size(); ++i) {
        if (i != 0) text += ", ";
        text += DescribeCode(injection.api, group.errors[i]);
      }
      text += "\n";
    } else {
      text += DescribeInjection(injection) + "\n";
    }
    text += group.findings;
    const std::string title = group.errors.size() > 1
                                  ? "call log of the first of these runs (" +
                                        DescribeCode(injection.api, group.errors.front()) + ")"
                                  : "call log of this run";
    entries.push_back(text + DescribeLogs(*group.first, title));
  }
  return entries;
}

std::string SweepResult::Report() const {
  const std::vector<std::string> entries = ReportEntries();
  std::string text = "fault sweep: " + std::to_string(runs) + " runs over " +
                     std::to_string(recorded_calls.size()) + " calls, " +
                     std::to_string(failures.size()) + " failed";
  if (!failures.empty()) text += " (" + std::to_string(entries.size()) + " distinct findings)";
  text += "\n";
  for (const std::string& entry : entries) text += "\n" + entry;
  return text;
}

}  // namespace portres
