// LoadNetshOutput, NetshExcludedPortRanges and NetshDynamicPortRange: public listings (read at
// run time from the reference directory when it is there), the project's own fixtures
// (tests/fake/netsh_listings/), every kind of malformed listing, byte-for-byte output and
// round trips.
#include <portres/netsh.h>

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "fake_test.h"

namespace portres::testing_fake {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The public listings: a directory beside the project's source, or PORTRES_NETSH_LISTINGS.
fs::path PublicListings() {
  // Read on the test's own thread; nothing in these tests sets the environment.
  const char* env = std::getenv("PORTRES_NETSH_LISTINGS");  // NOLINT(concurrency-mt-unsafe)
  if (env != nullptr) return env;
  return PORTRES_NETSH_PUBLIC_LISTINGS;
}

fs::path OwnListing(const std::string& name) { return fs::path(PORTRES_NETSH_OWN_LISTINGS) / name; }

std::vector<fs::path> ListingsIn(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

using Rows = std::vector<std::tuple<int, int, bool>>;  // first, last, persistent

// What a listing says, read independently of the library by plain patterns: per protocol, the
// rows of its last table of reservations and its last dynamic range. A table's protocol is
// UDP's when one of the three lines above its underline (or the line above its rule) says
// "udp".
struct Expected {
  Rows rows[2];
  int dynamic_first[2] = {0, 0};
  int dynamic_count[2] = {0, 0};
};

Expected ReadExpected(const std::string& text) {
  Expected expected;
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const std::regex underline(R"(-+[ \t]+-+[ \t\r]*$)");
  const std::regex rule(R"(^.*-{10,}[ \t\r]*$)");
  const std::regex row(R"(^\s*(\d+)\s+(\d+)(\s+\*)?\s*$)");
  const std::regex labelled(R"(:\s*(\d+)\s*$)");
  auto protocol_above = [&](std::size_t i, std::size_t count) {
    for (std::size_t k = 1; k <= count && k <= i; ++k) {
      if (lines[i - k].find("udp") != std::string::npos) return 1;
    }
    return 0;
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (std::regex_search(lines[i], m, underline)) {
      const auto prefix = static_cast<std::size_t>(m.position(0));
      Rows& rows = expected.rows[protocol_above(i, 3)];
      rows.clear();
      for (++i; i < lines.size(); ++i) {
        const std::string content = lines[i].size() > prefix ? lines[i].substr(prefix) : "";
        if (!std::regex_match(content, m, row)) break;
        rows.emplace_back(std::stoi(m[1]), std::stoi(m[2]), m[3].matched);
      }
    } else if (std::regex_match(lines[i], rule) && i + 2 < lines.size() &&
               std::regex_search(lines[i + 1], m, labelled)) {
      const int p = protocol_above(i, 1);
      expected.dynamic_first[p] = std::stoi(m[1]);
      std::regex_search(lines[i + 2], m, labelled);
      expected.dynamic_count[p] = std::stoi(m[1]);
    }
  }
  return expected;
}

Rows RowsOf(const FakeHost& host, Protocol protocol) {
  Rows rows;
  for (const ReservationInfo& r : host.Reservations()) {
    if (r.protocol != protocol) continue;
    rows.emplace_back(r.first_port, r.first_port + r.port_count - 1,
                      r.kind == ReservationKind::kPersistent);
  }
  return rows;
}

std::string PrintAll(const FakeHost& host) {
  return NetshExcludedPortRanges(host, Protocol::kTcp) +
         NetshDynamicPortRange(host, Protocol::kTcp) +
         NetshExcludedPortRanges(host, Protocol::kUdp) +
         NetshDynamicPortRange(host, Protocol::kUdp);
}

// Load, check what loaded row by row against the independent reading, then round-trip.
void CheckListing(const fs::path& path) {
  SCOPED_TRACE(path.filename().string());
  const std::string text = ReadFile(path);
  const Expected expected = ReadExpected(text);
  FakeHost host;
  ASSERT_NO_THROW(LoadNetshOutput(host, text));
  for (const Protocol protocol : {Protocol::kTcp, Protocol::kUdp}) {
    const auto p = static_cast<int>(protocol);
    EXPECT_EQ(RowsOf(host, protocol), expected.rows[p]) << ProtocolName(protocol);
    if (expected.dynamic_count[p] != 0) {
      const PortRange range = host.DynamicPortRange(protocol);
      EXPECT_EQ(range.first_port, expected.dynamic_first[p]);
      EXPECT_EQ(range.last_port - range.first_port + 1, expected.dynamic_count[p]);
    }
  }
  for (const ReservationInfo& r : host.Reservations()) {
    if (r.kind == ReservationKind::kRuntime) {
      EXPECT_EQ(r.owner_pid, FakeHost::kSystemPid);
    }
  }

  // What it prints loads back into the same state.
  FakeHost copy;
  LoadNetshOutput(copy, PrintAll(host));
  EXPECT_EQ(RowsOf(copy, Protocol::kTcp), RowsOf(host, Protocol::kTcp));
  EXPECT_EQ(RowsOf(copy, Protocol::kUdp), RowsOf(host, Protocol::kUdp));
  EXPECT_EQ(PrintAll(copy), PrintAll(host));

  // Loading the same text again changes nothing: the machine holds it already.
  const HostSnapshot before = Snapshot(host);
  ASSERT_NO_THROW(LoadNetshOutput(host, text));
  EXPECT_TRUE(Snapshot(host) == before);
}

TEST(NetshPublicListings, EveryListing_LoadsRowByRow_AndRoundTrips) {
  const fs::path dir = PublicListings();
  if (!fs::is_directory(dir)) {
    GTEST_SKIP() << "the public netsh listings are not beside the source (" << dir.string()
                 << "); set PORTRES_NETSH_LISTINGS to their directory";
  }
  const std::vector<fs::path> files = ListingsIn(dir);
  ASSERT_FALSE(files.empty());
  for (const fs::path& file : files) CheckListing(file);
}

// The raw capture kept every byte netsh wrote: what the fake prints for the machine it loads
// is the capture's own text.
TEST(NetshPublicListings, RawCapture_IsReproducedByteForByte) {
  const fs::path dir = PublicListings();
  std::vector<fs::path> raw;
  if (fs::is_directory(dir)) {
    for (const fs::path& file : ListingsIn(dir)) {
      if (file.filename().string().find("-raw") != std::string::npos) raw.push_back(file);
    }
  }
  if (raw.empty()) GTEST_SKIP() << "no raw capture (a listing named *-raw*) in " << dir.string();
  for (const fs::path& file : raw) {
    SCOPED_TRACE(file.filename().string());
    const std::string text = ReadFile(file);
    // Every table of the capture, each loaded on a host of its own: netsh's full output for it
    // (the blank line it ends with included, unless the capture ends there) is in the capture.
    std::size_t tables = 0;
    for (std::size_t at = text.find("\nProtocol tcp"); at != std::string::npos;
         at = text.find("\nProtocol tcp", at + 1)) {
      const std::size_t next = text.find("\nProtocol tcp", at + 1);
      FakeHost host;
      LoadNetshOutput(host, text.substr(at, next == std::string::npos ? next : next - at));
      const std::string printed = NetshExcludedPortRanges(host, Protocol::kTcp);
      const std::string expected = text.substr(at, printed.size());
      if (at + printed.size() > text.size()) {
        EXPECT_EQ(printed.substr(0, printed.size() - 1), expected);  // the capture ends there
      } else {
        EXPECT_EQ(printed, expected);
      }
      ++tables;
    }
    EXPECT_GE(tables, 1U);
  }
}

TEST(NetshOwnListings, EveryFixture_LoadsRowByRow_AndRoundTrips) {
  for (const fs::path& file : ListingsIn(PORTRES_NETSH_OWN_LISTINGS)) CheckListing(file);
}

TEST(NetshOwnListings, HyperVLike_IsReproducedByteForByte) {
  const std::string text = ReadFile(OwnListing("hyperv-tcp-en.txt"));
  FakeHost host;
  LoadNetshOutput(host, text);
  EXPECT_EQ(NetshExcludedPortRanges(host, Protocol::kTcp), text);
  EXPECT_EQ(host.ReservationCount(), 10U);
}

TEST(NetshOwnListings, UdpTable_AndDynamicRanges_ComeFromTheirTitles) {
  FakeHost host;
  LoadNetshOutput(host, ReadFile(OwnListing("hyperv-udp-dynamic-prompt.txt")));
  EXPECT_EQ(RowsOf(host, Protocol::kUdp), (Rows{{3702, 3702, false},
                                                {49700, 49799, false},
                                                {52000, 52099, false},
                                                {60100, 60199, false}}));
  EXPECT_TRUE(RowsOf(host, Protocol::kTcp).empty());
  EXPECT_EQ(host.DynamicPortRange(Protocol::kTcp).first_port, 1024);
  EXPECT_EQ(host.DynamicPortRange(Protocol::kTcp).last_port, 15000);
  EXPECT_EQ(host.DynamicPortRange(Protocol::kUdp).first_port, 49152);
  EXPECT_EQ(host.DynamicPortRange(Protocol::kUdp).last_port, 65535);
  EXPECT_EQ(NetshDynamicPortRange(host, Protocol::kTcp),
            "\nProtocol tcp Dynamic Port Range\n"
            "---------------------------------\n"
            "Start Port      : 1024\n"
            "Number of Ports : 13977\n\n");
}

TEST(NetshOwnListings, Localized_Crlf_WithoutBlankLines_Loads) {
  FakeHost host;
  LoadNetshOutput(host, ReadFile(OwnListing("localized-tcp-fr-crlf.txt")));
  EXPECT_EQ(
      RowsOf(host, Protocol::kTcp),
      (Rows{{2869, 2869, false}, {7000, 7099, false}, {7100, 7199, false}, {50000, 50059, true}}));
}

TEST(NetshOwnListings, LogPrefixOnEveryLine_IsSkipped) {
  FakeHost host;
  const std::string text = ReadFile(OwnListing("ci-log-prefix-tcp-en.txt"));
  LoadNetshOutput(host, text);
  EXPECT_EQ(RowsOf(host, Protocol::kTcp), (Rows{{80, 80, false},
                                                {47001, 47001, false},
                                                {56600, 56699, false},
                                                {56700, 56799, false},
                                                {58000, 58009, true}}));
}

TEST(NetshOwnListings, TwoTablesOfOneProtocol_TheLastIsTheMachine) {
  FakeHost host;
  LoadNetshOutput(host, ReadFile(OwnListing("restart-two-tables-tcp-en.txt")));
  EXPECT_EQ(RowsOf(host, Protocol::kTcp), (Rows{{9400, 9499, false}, {12000, 12000, true}}));
}

TEST(NetshOwnListings, RepeatedIdenticalTable_LoadsOnce) {
  const std::string table = ReadFile(OwnListing("hyperv-tcp-en.txt"));
  FakeHost host;
  LoadNetshOutput(host, table + table + table);
  EXPECT_EQ(host.ReservationCount(), 10U);
}

// ---- What the loaded rows do --------------------------------------------------------------
class NetshLoaded : public FakeTest {
 protected:
  void SetUp() override { LoadNetshOutput(host(), ReadFile(OwnListing("hyperv-tcp-en.txt"))); }
};

TEST_F(NetshLoaded, ExplicitBindIntoARuntimeRow_FailsWithWsaeacces_Observed) {
  const SOCKET s = OpenTcp(api());
  EXPECT_EQ(Bind(api(), s, 49700), WSAEACCES);
  EXPECT_EQ(Bind(api(), s, 5357), WSAEACCES);
}

TEST_F(NetshLoaded, SpecificAcquireOverARow_FailsWithWsaeaddrinuse) {
  const SOCKET s = OpenTcp(api());
  EXPECT_EQ(Acquire(api(), s, 49780, 20).error, WSAEADDRINUSE);
  EXPECT_EQ(Acquire(api(), s, 50010, 1).error, WSAEADDRINUSE);  // the administered block
}

TEST_F(NetshLoaded, WildcardAcquiresAndEphemeralBinds_AvoidEveryRow) {
  const SOCKET s = OpenTcp(api());
  for (int i = 0; i < 50; ++i) {
    const Acquired acquired = Acquire(api(), s, 0, 100);
    ASSERT_EQ(acquired.error, 0);
    for (const ReservationInfo& r : host().Reservations()) {
      if (r.owner_pid == api().pid() || r.protocol != Protocol::kTcp) continue;
      const bool apart = acquired.first_port() + 99 < r.first_port ||
                         acquired.first_port() > r.first_port + r.port_count - 1;
      EXPECT_TRUE(apart) << acquired.first_port();
    }
  }
  const SOCKET e = OpenTcp(api());
  ASSERT_EQ(Bind(api(), e, 0), 0);
  const std::uint16_t port = LocalPort(api(), e);
  for (const ReservationInfo& r : host().Reservations()) {
    EXPECT_FALSE(port >= r.first_port && port < r.first_port + r.port_count) << port;
  }
}

TEST_F(NetshLoaded, AdministeredRow_IsAPersistentReservation) {
  ULONG64 token = 0;
  EXPECT_EQ(ip_helper().LookupPersistentTcpPortReservation(htons(50000), 60, &token),
            static_cast<ULONG>(NO_ERROR));
  EXPECT_EQ(ip_helper().DeletePersistentTcpPortReservation(htons(50000), 60),
            static_cast<ULONG>(NO_ERROR));
}

TEST_F(NetshLoaded, SystemRows_AreNotAnotherProcesssToRelease) {
  const SOCKET s = OpenTcp(api());
  for (const ReservationInfo& r : host().Reservations()) {
    if (r.kind == ReservationKind::kRuntime) {
      EXPECT_EQ(Release(api(), s, r.token), WSAEINVAL);
    }
  }
  EXPECT_EQ(host().ReservationCount(), 10U);
}

TEST_F(NetshLoaded, Output_ListsEveryProcesssRows_SortedByStart) {
  const SOCKET s = OpenTcp(api());
  ASSERT_EQ(Acquire(api(), s, 40000, 10).error, 0);
  const std::string out = NetshExcludedPortRanges(host(), Protocol::kTcp);
  EXPECT_NE(out.find("      5357        5357      \n     40000       40009      \n"),
            std::string::npos)
      << out;
}

TEST_F(NetshLoaded, SystemRows_SurviveAReboot_Assumed) {
  const Rows before = RowsOf(host(), Protocol::kTcp);
  host().Reboot();
  EXPECT_EQ(RowsOf(host(), Protocol::kTcp), before);
}

// ---- Readable failures: a failing expectation on a host shows the machine ------------------
TEST_F(NetshLoaded, AFailingExpectationOnTheHost_ShowsItAsNetshListsIt) {
  const std::string listing = NetshListing(host());
  EXPECT_EQ(::testing::PrintToString(host()), listing);
  EXPECT_NE(listing.find("Protocol tcp Port Exclusion Ranges"), std::string::npos);
  EXPECT_NE(listing.find("     50000       50059     *\n"), std::string::npos);
  EXPECT_NE(listing.find("Protocol udp Dynamic Port Range"), std::string::npos);
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(host(), ::testing::Property(&FakeHost::ReservationCount, 0U)),
                          "     49690       49789      \n");
}

// ---- Empty and untitled tables -----------------------------------------------------------
TEST(NetshOutput, EmptyHost_PrintsTheEmptyTable) {
  FakeHost host;
  EXPECT_EQ(NetshExcludedPortRanges(host, Protocol::kUdp),
            "\nProtocol udp Port Exclusion Ranges\n\n"
            "Start Port    End Port      \n"
            "----------    --------      \n"
            "\n* - Administered port exclusions.\n\n");
  FakeHost copy;
  EXPECT_NO_THROW(LoadNetshOutput(copy, NetshExcludedPortRanges(host, Protocol::kUdp)));
  EXPECT_EQ(copy.ReservationCount(), 0U);
}

TEST(NetshOutput, UntitledTable_IsTcps_UnlessAPromptNamesUdp_Assumed) {
  FakeHost host;
  LoadNetshOutput(host, "Start Port    End Port\n----------    --------\n      7000        7009\n");
  EXPECT_EQ(RowsOf(host, Protocol::kTcp), (Rows{{7000, 7009, false}}));
  FakeHost udp;
  LoadNetshOutput(udp,
                  "C:\\>netsh int ipv4 show excludedportrange protocol=udp\n"
                  "Start Port    End Port\n----------    --------\n      7000        7009\n");
  EXPECT_EQ(RowsOf(udp, Protocol::kUdp), (Rows{{7000, 7009, false}}));
}

// ---- Refused listings: the line named, nothing loaded --------------------------------------
void ExpectRefused(FakeHost& host, const std::string& text, const std::string& line,
                   const std::string& why) {
  const HostSnapshot before = Snapshot(host);
  const PortRange tcp = host.DynamicPortRange(Protocol::kTcp);
  try {
    LoadNetshOutput(host, text);
    ADD_FAILURE() << "loaded:\n" << text;
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(line), std::string::npos) << message;
    EXPECT_NE(message.find(why), std::string::npos) << message;
    EXPECT_NE(message.find("nothing was loaded"), std::string::npos) << message;
  }
  EXPECT_TRUE(Snapshot(host) == before);
  EXPECT_EQ(host.DynamicPortRange(Protocol::kTcp).first_port, tcp.first_port);
  EXPECT_EQ(host.DynamicPortRange(Protocol::kTcp).last_port, tcp.last_port);
}

const char kHead[] =
    "\nProtocol tcp Port Exclusion Ranges\n\nStart Port    End Port\n----------    --------\n"
    "      6000        6009\n";  // line 6

TEST(NetshRefused, ARowThatIsNotTwoPortNumbers) {
  FakeHost host;
  ExpectRefused(host, std::string(kHead) + "      6100        6109        6200\n", "line 7",
                "two port numbers and an optional `*`");
  ExpectRefused(host, std::string(kHead) + "      6100        61O9\n", "line 7",
                "two port numbers");
  ExpectRefused(host, std::string(kHead) + "      6100\n", "line 7", "two port numbers");
  ExpectRefused(host, std::string(kHead) + "      6100        6109     **\n", "line 7",
                "two port numbers");
}

TEST(NetshRefused, AStartAfterItsEnd) {
  FakeHost host;
  ExpectRefused(host, std::string(kHead) + "      6109        6100\n", "line 7",
                "the start port 6109 is after the end port 6100");
}

TEST(NetshRefused, APortPast65535_OrPortZero) {
  FakeHost host;
  ExpectRefused(host, std::string(kHead) + "     65530       65540\n", "line 7",
                "port 65540 is past 65535");
  ExpectRefused(host, std::string(kHead) + "         0           9\n", "line 7",
                "port 0 is no port");
}

TEST(NetshRefused, RowsThatOverlap) {
  FakeHost host;
  ExpectRefused(host, std::string(kHead) + "      6005        6020\n", "line 7",
                "overlaps line 6 (6000..6009)");
}

TEST(NetshRefused, ARowOverAnotherProcesssReservation) {
  auto host = std::make_shared<FakeHost>();
  FakeSocketIoctl process(host);
  const SOCKET s = OpenTcp(process);
  ASSERT_EQ(Acquire(process, s, 6100, 10).error, 0);
  ExpectRefused(*host, std::string(kHead) + "      6105        6105\n", "line 7",
                "overlaps the runtime reservation of pid " + std::to_string(process.pid()) +
                    " TCP 6100..6109");
}

TEST(NetshRefused, ARowOverABoundSocket) {
  auto host = std::make_shared<FakeHost>();
  FakeSocketIoctl process(host);
  const SOCKET s = OpenTcp(process);
  ASSERT_EQ(Bind(process, s, 6103), 0);
  ExpectRefused(*host, std::string(kHead) + "      6100        6109\n", "line 7",
                "holds port 6103, bound by socket");
}

TEST(NetshRefused, ARowThatTheHostHoldsOtherwise) {
  FakeHost host;
  LoadNetshOutput(host, std::string(kHead));
  // The same ports, administered this time: a different reservation over the loaded one.
  ExpectRefused(host,
                "\nProtocol tcp Port Exclusion Ranges\n\nStart Port    End Port\n"
                "----------    --------\n      6000        6009     *\n",
                "line 6", "overlaps the runtime reservation of the System process TCP 6000..6009");
}

TEST(NetshRefused, ATextWithNoTable) {
  FakeHost host;
  ExpectRefused(host, "", "holds no netsh table", "nothing");
  ExpectRefused(host, "C:\\>netsh interface ipv4 show excludedportrange protocol=tcp\n\nOk.\n",
                "(3 lines) holds no netsh table", "underline");
}

TEST(NetshRefused, ADynamicTableWithoutItsCount_OrPast65535) {
  FakeHost host;
  ExpectRefused(host,
                "Protocol tcp Dynamic Port Range\n---------------------------------\n"
                "Start Port      : 1024\n",
                "line 4", "is followed by \"Number of Ports : N\"");
  ExpectRefused(host,
                "Protocol tcp Dynamic Port Range\n---------------------------------\n"
                "Start Port      : 60000\nNumber of Ports : 16384\n",
                "line 4", "16384 ports from 60000 run past 65535");
  ExpectRefused(host,
                "Protocol tcp Dynamic Port Range\n---------------------------------\n"
                "Start Port      : 60000\nNumber of Ports : 0\n",
                "line 4", "is an empty range");
}

// A malformed table after a good one: the good one does not load either.
TEST(NetshRefused, ALaterMalformedTable_LoadsNothingOfTheEarlierOnes) {
  FakeHost host;
  ExpectRefused(host,
                ReadFile(OwnListing("hyperv-udp-dynamic-prompt.txt")) + std::string(kHead) +
                    "      6100        6050\n",
                "after the end port", "nothing was loaded");
  EXPECT_EQ(host.DynamicPortRange(Protocol::kUdp).first_port, 49152);
}

}  // namespace
}  // namespace portres::testing_fake
