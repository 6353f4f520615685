// The fault sweep in GoogleTest: one readable failure per failing run, or one test per run.
#include <gtest/gtest.h>
#include <portres/fault_sweep.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace portres {
namespace {

void AddFailure(const char* file, int line, const std::string& message) {
  if (file != nullptr) {
    ADD_FAILURE_AT(file, line) << message;
  } else {
    ADD_FAILURE() << message;
  }
}

// What every test of one registered sweep shares.
struct RegisteredSweep {
  Scenario scenario;
  SweepOptions options;
  std::string file;
  int line;
};

// One run of a registered sweep. One fixture class for the whole suite, as GoogleTest requires
// of the tests of a suite.
class FaultSweepTest : public ::testing::Test {
 public:
  FaultSweepTest(std::shared_ptr<const RegisteredSweep> sweep, SweepInjection injection)
      : sweep_(std::move(sweep)), injection_(injection) {}

  void TestBody() override {
    const SweepRun run = RunScenario(sweep_->scenario, injection_, sweep_->options);
    if (!run.ok()) AddFailure(sweep_->file.c_str(), sweep_->line, run.Report());
  }

 private:
  std::shared_ptr<const RegisteredSweep> sweep_;
  SweepInjection injection_;
};

}  // namespace

SweepResult ExpectSweepClean(const Scenario& scenario, const SweepOptions& options,
                             const char* file, int line) {
  SweepResult result = RunFaultSweep(scenario, options);
  const std::vector<std::string> entries = result.ReportEntries();
  const std::string total = " of " + std::to_string(entries.size()) + " (" +
                            std::to_string(result.failures.size()) + " failing runs of " +
                            std::to_string(result.runs) + ")\n";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    AddFailure(file, line, "Fault sweep: finding " + std::to_string(i + 1) + total + entries[i]);
  }
  return result;
}

std::size_t RegisterFaultSweep(const std::string& suite, const Scenario& scenario,
                               const SweepOptions& options, const char* file, int line) {
  auto sweep = std::make_shared<const RegisteredSweep>(
      RegisteredSweep{scenario, options, file != nullptr ? file : __FILE__, line});

  // The recording run tells which calls there are to sweep; its own checks run as "NoFault".
  SweepResult recording;
  {
    SweepOptions record_only = options;
    record_only.sweep_call = [](const Call&) { return false; };
    recording = RunFaultSweep(scenario, record_only);
  }
  std::vector<SweepInjection> runs{SweepInjection()};
  for (const SweepInjection& injection : PlanFaultSweep(recording.recorded_calls, options)) {
    runs.push_back(injection);
  }
  for (const SweepInjection& injection : runs) {
    const std::string name = InjectionTestName(injection);
    // GoogleTest's registry owns the factory RegisterTest allocates; clang-analyzer does not
    // see that (a NewDeleteLeaks false positive inside gtest.h), so it skips the call.
#ifndef __clang_analyzer__
    ::testing::RegisterTest(
        suite.c_str(), name.c_str(), nullptr, nullptr, sweep->file.c_str(), sweep->line,
        [sweep, injection]() -> ::testing::Test* { return new FaultSweepTest(sweep, injection); });
#endif
  }
  return runs.size();
}

}  // namespace portres
