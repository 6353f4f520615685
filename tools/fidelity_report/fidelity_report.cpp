// portres_fidelity_report: runs the contract suite on this machine's Winsock and on the fake,
// side by side, and prints for every row of docs/fidelity.md that names a contract test what
// the two answered. One run on a Windows machine says, row by row, whether Windows agrees with
// the fake: a row whose contract tests all pass here is confirmed on this machine; a failing
// one shows the answer this machine gave (the assertion's "Which is"), next to the fake's.
//
//   portres_fidelity_report [--ledger docs/fidelity.md] [--out report.md] [gtest flags]
//
// The report is Markdown, on standard output (and in --out). The exit status is 0 whenever the
// report was written, whatever the machine answered: differences are findings, not errors.
#include <portres/winsock.h>
#include <portres/winsock_environment.h>
#include <portres/winsock_error.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#ifndef PORTRES_FIDELITY_LEDGER
#define PORTRES_FIDELITY_LEDGER "docs/fidelity.md"
#endif

namespace portres::fidelity {
namespace {

// ---- This machine ----------------------------------------------------------------------------

// RtlGetVersion tells the truth where GetVersionEx answers what the manifest allows.
std::string WindowsVersion() {
  using RtlGetVersionFunction = LONG(WINAPI*)(PRTL_OSVERSIONINFOW);
  const HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
  const FARPROC address = ntdll == nullptr ? nullptr : ::GetProcAddress(ntdll, "RtlGetVersion");
  if (address == nullptr) return "unknown (no RtlGetVersion)";
  const auto rtl_get_version =
      reinterpret_cast<RtlGetVersionFunction>(reinterpret_cast<void (*)()>(address));
  RTL_OSVERSIONINFOW info{};
  info.dwOSVersionInfoSize = sizeof info;
  if (rtl_get_version(&info) != 0) return "unknown (RtlGetVersion failed)";
  std::ostringstream text;
  text << info.dwMajorVersion << '.' << info.dwMinorVersion << '.' << info.dwBuildNumber;
  // The update build revision (the ".2340" of 22631.2340) is only in the registry.
  DWORD ubr = 0;
  DWORD size = sizeof ubr;
  if (::RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", L"UBR",
                     RRF_RT_REG_DWORD, nullptr, &ubr, &size) == ERROR_SUCCESS) {
    text << '.' << ubr;
  }
  text << " (build " << info.dwBuildNumber << ")";
  return text.str();
}

std::string ProductName() {
  wchar_t name[256] = {};
  DWORD size = sizeof name;
  if (::RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
                     L"ProductName", RRF_RT_REG_SZ, nullptr, name, &size) != ERROR_SUCCESS) {
    return "unknown";
  }
  std::string narrow;
  for (const wchar_t* c = name; *c != 0; ++c) narrow += *c < 128 ? static_cast<char>(*c) : '?';
  return narrow;
}

void PrintMachine(std::ostream& out) {
  out << "- Windows: " << ProductName() << ", version " << WindowsVersion() << "\n";
  const char* wine = WineVersion();
  out << "- Wine: " << (wine == nullptr ? "no" : wine) << "\n";
  out << "- elevated: " << (IsElevated() ? "yes" : "no") << "\n";
  const char* missing = MissingIpHelperFunction();
  out << "- iphlpapi persistent-reservation functions: "
      << (missing == nullptr ? std::string("all six exported")
                             : std::string("missing (first: ") + missing + ")")
      << "\n";
  const int probe = ProbeRuntimeReservations();
  out << "- a probe SIO_ACQUIRE_PORT_RESERVATION: "
      << (probe == 0 ? std::string("granted") : "failed with " + DescribeError(probe)) << "\n";
}

// ---- What each test did on each backend ------------------------------------------------------

struct Outcome {
  enum class Kind { kPassed, kFailed, kSkipped } kind = Kind::kPassed;
  std::string message;  // the skip reason, or the first failure
};

// "Contract/AcquireContract" + "Acquire_X/Fake" -> key "AcquireContract.Acquire_X", "Fake".
class Recorder final : public testing::EmptyTestEventListener {
 public:
  void OnTestEnd(const testing::TestInfo& info) override {
    std::string suite = info.test_suite_name();
    if (const auto slash = suite.find('/'); slash != std::string::npos) suite.erase(0, slash + 1);
    std::string name = info.name();
    std::string backend;
    if (const auto slash = name.rfind('/'); slash != std::string::npos) {
      backend = name.substr(slash + 1);
      name.erase(slash);
    }
    Outcome outcome;
    const testing::TestResult& result = *info.result();
    if (result.Skipped()) {
      outcome.kind = Outcome::Kind::kSkipped;
    } else if (result.Failed()) {
      outcome.kind = Outcome::Kind::kFailed;
    }
    for (int i = 0; i < result.total_part_count() && outcome.message.empty(); ++i) {
      const testing::TestPartResult& part = result.GetTestPartResult(i);
      if (part.skipped() || part.failed()) outcome.message = part.message();
    }
    outcomes_[suite + "." + name][backend] = std::move(outcome);
  }

  // Backend name -> outcome, for a "Suite.Test" the ledger names; nullptr if none ran.
  const std::map<std::string, Outcome>* Find(const std::string& test) const {
    const auto found = outcomes_.find(test);
    return found == outcomes_.end() ? nullptr : &found->second;
  }
  std::size_t size() const { return outcomes_.size(); }

 private:
  std::map<std::string, std::map<std::string, Outcome>> outcomes_;
};

// ---- The ledger ------------------------------------------------------------------------------

struct Row {
  std::string section;
  std::string behaviour;
  std::vector<std::string> tests;  // "Suite.Test" names found in the test cell
  std::string checked_against;
};

std::vector<std::string> SplitCells(const std::string& line) {
  // Cells are separated by " | "; a `|` inside code has no spaces around it.
  std::vector<std::string> cells;
  std::string body = line.substr(2, line.size() >= 4 ? line.size() - 4 : 0);
  std::size_t start = 0;
  for (std::size_t bar = body.find(" | "); bar != std::string::npos;
       bar = body.find(" | ", start)) {
    cells.push_back(body.substr(start, bar - start));
    start = bar + 3;
  }
  cells.push_back(body.substr(start));
  return cells;
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.';
}

std::vector<std::string> TestNames(const std::string& cell) {
  std::vector<std::string> names;
  std::string word;
  for (std::size_t i = 0; i <= cell.size(); ++i) {
    if (i < cell.size() && IsNameChar(cell[i])) {
      word += cell[i];
      continue;
    }
    if (word.find('.') != std::string::npos && word.find("Contract.") != std::string::npos) {
      names.push_back(word);
    }
    word.clear();
  }
  return names;
}

std::vector<Row> ReadLedger(std::istream& in) {
  std::vector<Row> rows;
  std::string section;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("## ", 0) == 0) section = line.substr(3);
    if (line.rfind("| ", 0) != 0 || line.rfind("| behaviour |", 0) == 0) continue;
    const std::vector<std::string> cells = SplitCells(line);
    if (cells.size() < 4) continue;
    rows.push_back(Row{section, cells.front(), TestNames(cells[cells.size() - 2]), cells.back()});
  }
  return rows;
}

// ---- The report ------------------------------------------------------------------------------

std::string Cell(std::string text, std::size_t limit = 220) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
    if (c == '|') c = '/';
  }
  text.erase(
      std::unique(text.begin(), text.end(), [](char a, char b) { return a == ' ' && b == ' '; }),
      text.end());
  if (text.size() > limit) text = text.substr(0, limit - 3) + "...";
  return text;
}

// What one backend did over a row's tests: "passed (2)", "FAILED Test: message", "skipped: why".
std::string Summary(const Row& row, const Recorder& recorder, const std::string& backend,
                    bool* all_passed) {
  int passed = 0;
  std::string failed;
  std::string skipped;
  int ran = 0;
  for (const std::string& test : row.tests) {
    const auto* outcomes = recorder.Find(test);
    if (outcomes == nullptr) continue;
    const auto found = outcomes->find(backend);
    if (found == outcomes->end()) continue;
    ++ran;
    const Outcome& outcome = found->second;
    const std::string short_name = test.substr(test.find('.') + 1);
    if (outcome.kind == Outcome::Kind::kPassed) ++passed;
    if (outcome.kind == Outcome::Kind::kFailed && failed.empty()) {
      failed = "FAILED " + short_name + ": " + outcome.message;
    }
    if (outcome.kind == Outcome::Kind::kSkipped && skipped.empty()) {
      skipped = "not run: " + outcome.message;
    }
  }
  *all_passed = ran > 0 && passed == ran;
  if (ran == 0) return "no such contract test";
  if (!failed.empty()) return Cell(failed);
  if (passed == ran) return "as the row says (" + std::to_string(passed) + " passed)";
  if (passed == 0) return Cell(skipped);
  return Cell(std::to_string(passed) + " passed; " + skipped);
}

void PrintReport(std::ostream& out, const std::vector<Row>& rows, const Recorder& recorder,
                 const std::string& ledger_path) {
  out << "# portres fidelity report\n\n";
  PrintMachine(out);
  out << "- ledger: " << ledger_path << " (" << rows.size() << " rows)\n\n";
  out << "Each row of the ledger that names a contract test, with what its tests did on this "
         "machine's Winsock and on the fake. \"as the row says\": every test of the row passed "
         "here, so this machine agrees with the fake.\n\n";
  std::string section;
  int checked = 0;
  int confirmed = 0;
  int contradicted = 0;
  for (const Row& row : rows) {
    if (row.tests.empty()) continue;
    if (row.section != section) {
      section = row.section;
      out << "\n## " << section
          << "\n\n| behaviour | ledger: checked against | this machine | fake |\n"
          << "|---|---|---|---|\n";
    }
    bool machine_passed = false;
    bool fake_passed = false;
    const std::string machine = Summary(row, recorder, "Winsock", &machine_passed);
    const std::string fake = Summary(row, recorder, "Fake", &fake_passed);
    ++checked;
    if (machine_passed) ++confirmed;
    if (machine.rfind("FAILED", 0) == 0) ++contradicted;
    out << "| " << Cell(row.behaviour, 160) << " | " << Cell(row.checked_against) << " | "
        << machine << " | " << fake << " |\n";
  }
  out << "\n## Summary\n\n- rows naming a contract test: " << checked << " of " << rows.size()
      << "\n- confirmed on this machine (every test of the row passed): " << confirmed
      << "\n- contradicted (a test of the row failed here): " << contradicted
      << "\n- not run here (skipped, with the machine's reason): "
      << checked - confirmed - contradicted
      << "\n- rows naming only fake tests (the fake's controls and its own rules; not checked "
         "here): "
      << rows.size() - static_cast<std::size_t>(checked) << "\n";
}

}  // namespace
}  // namespace portres::fidelity

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  std::string ledger_path = PORTRES_FIDELITY_LEDGER;
  std::string out_path;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--ledger" && i + 1 < argc) {
      ledger_path = argv[++i];
    } else if (arg == "--out" && i + 1 < argc) {
      out_path = argv[++i];
    } else {
      std::cerr << "usage: portres_fidelity_report [--ledger docs/fidelity.md] [--out FILE]\n";
      return 2;
    }
  }
  std::ifstream ledger(ledger_path);
  if (!ledger) {
    std::cerr << "portres_fidelity_report: cannot read the ledger " << ledger_path << "\n";
    return 2;
  }
  const std::vector<portres::fidelity::Row> rows = portres::fidelity::ReadLedger(ledger);

  // The report replaces gtest's own output; the tests' verdicts are in it.
  testing::TestEventListeners& listeners = testing::UnitTest::GetInstance()->listeners();
  delete listeners.Release(listeners.default_result_printer());
  auto* recorder = new portres::fidelity::Recorder;
  listeners.Append(recorder);  // owned by gtest from here
  // Failures are the report's findings, not the program's: the status stays 0.
  const int failures = RUN_ALL_TESTS();
  static_cast<void>(failures);

  std::ostringstream report;
  portres::fidelity::PrintReport(report, rows, *recorder, ledger_path);
  std::cout << report.str();
  if (!out_path.empty()) {
    std::ofstream out(out_path);
    out << report.str();
    if (!out) {
      std::cerr << "portres_fidelity_report: cannot write " << out_path << "\n";
      return 2;
    }
  }
  return 0;
}
