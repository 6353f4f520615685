// Fault::Before: a test's action run just before a matching call, which then proceeds; and
// Fault misuse reported at the test's own file and line.
#include <portres/describe.h>
#include <portres/fault.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "fake_test.h"

namespace portres::testing_fake {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Two processes on one host: the code under test, and another that races it.
class FaultBefore : public FakeTest {
 protected:
  FaultBefore() : other_(shared_host()) {}
  FakeSocketIoctl& other() { return other_; }

 private:
  FakeSocketIoctl other_;
};

// The race field reports describe: a port found free, taken by someone else before the bind.
TEST_F(FaultBefore, AnotherProcessAcquiresThePort_BetweenTheProbeAndTheBind) {
  const SOCKET probe = OpenTcp(api());
  ASSERT_EQ(Bind(api(), probe, 0), 0);
  const std::uint16_t port = LocalPort(api(), probe);
  ASSERT_EQ(api().closesocket(probe), 0);

  const SOCKET thief = OpenTcp(other());
  api().Inject(Fault::Before([&] {
                 EXPECT_EQ(Acquire(other(), thief, port, 1).error, 0);
               }).When(IsApi(Api::kBind)));
  const SOCKET s = OpenTcp(api());
  EXPECT_EQ(Bind(api(), s, port), WSAEACCES);  // the call proceeded, after the action
  ASSERT_EQ(other().Reservations().size(), 1U);
  EXPECT_EQ(other().Reservations()[0].first_port, port);
}

TEST_F(FaultBefore, IsUsedUpLikeAnyFault_OnceByDefault) {
  int runs = 0;
  api().Inject(Fault::Before([&] { ++runs; }));
  OpenTcp(api());
  OpenTcp(api());
  EXPECT_EQ(runs, 1);
}

TEST_F(FaultBefore, ComposesWithOnCallAndTimesAndWhen) {
  std::vector<std::uint64_t> seen;
  api().Inject(Fault::Before([&] { seen.push_back(api().CallCount()); }).OnCall(2));
  int binds = 0;
  api().Inject(Fault::Before([&] { ++binds; }).When(IsApi(Api::kBind)).Times(2));
  const SOCKET s = OpenTcp(api());  // call 0
  OpenTcp(api());                   // call 1
  OpenTcp(api());                   // call 2: the action sees the two calls before it
  for (int i = 0; i < 3; ++i) Bind(api(), s, 0);
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{2}));
  EXPECT_EQ(binds, 2);
}

TEST_F(FaultBefore, OnThisThread_RunsOnlyBeforeThisThreadsCalls) {
  int runs = 0;
  api().Inject(Fault::Before([&] { ++runs; }).When(IsApi(Api::kSocket)).OnThisThread());
  std::thread([&] { OpenTcp(api()); }).join();
  EXPECT_EQ(runs, 0);
  OpenTcp(api());
  EXPECT_EQ(runs, 1);
}

TEST_F(FaultBefore, TheCallProceeds_AndOtherFaultsStillHitIt) {
  api().Inject(Fault::Before([] {}).When(IsApi(Api::kBind)));
  api().Inject(Fault::Error(WSAENETDOWN).When(IsApi(Api::kBind)).Times(1));
  const SOCKET s = OpenTcp(api());
  EXPECT_EQ(Bind(api(), s, 0), WSAENETDOWN);
  EXPECT_EQ(Bind(api(), s, 0), 0);
}

// The action runs without the fake's lock: calling the same process from it would deadlock
// otherwise. Its own calls hit no Before fault, so it cannot recurse.
TEST_F(FaultBefore, TheActionMayCallTheSameProcess_WithoutRecursing) {
  int runs = 0;
  SOCKET made = INVALID_SOCKET;
  api().Inject(Fault::Before([&] {
                 ++runs;
                 made = OpenTcp(api());
               }).When(IsApi(Api::kSocket)));
  const SOCKET s = OpenTcp(api());
  EXPECT_EQ(runs, 1);
  EXPECT_NE(made, INVALID_SOCKET);
  EXPECT_NE(s, made);
  EXPECT_EQ(host().SocketCount(), 2U);
}

TEST_F(FaultBefore, AnExceptionFromTheAction_LeavesTheCallUnmade) {
  api().Inject(Fault::Before([] { throw std::runtime_error("stop"); }));
  EXPECT_THROW(OpenTcp(api()), std::runtime_error);
  EXPECT_EQ(api().CallCount(), 0U);
  EXPECT_EQ(host().SocketCount(), 0U);
}

TEST_F(FaultBefore, ClearFaults_DropsIt) {
  int runs = 0;
  api().Inject(Fault::Before([&] { ++runs; }).When(IsApi(Api::kSocket)));
  api().ClearFaults();
  OpenTcp(api());
  EXPECT_EQ(runs, 0);
}

TEST(FaultBeforeDescribe, PrintsAsBefore) {
  EXPECT_EQ(Describe(Fault::Before([] {})), "Fault::Before(action)");
  EXPECT_TRUE(Fault::Before([] {}).runs_action());
  EXPECT_FALSE(Fault::Error(WSAEINTR).runs_action());
}

// ---- Misuse, reported where the test wrote it -------------------------------------------------
template <typename F>
std::string ThrownBy(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(FaultMisuseLocation, Error0_NamesTheTestsFileAndLine) {
  const int line = __LINE__ + 1;
  const std::string message = ThrownBy([] { Fault::Error(0); });
  EXPECT_THAT(message, StartsWith(std::string(__FILE__) + ":" + std::to_string(line) + ": "));
  EXPECT_THAT(message, HasSubstr("Fault::Error(0)"));
}

TEST(FaultMisuseLocation, ErrorNegative_NamesTheTestsFileAndLine) {
  const int line = __LINE__ + 1;
  const std::string message = ThrownBy([] { Fault::Error(SOCKET_ERROR); });
  EXPECT_THAT(message, StartsWith(std::string(__FILE__) + ":" + std::to_string(line) + ": "));
}

TEST(FaultMisuseLocation, EmptyBeforeAction_NamesTheTestsFileAndLine) {
  const int line = __LINE__ + 1;
  const std::string message = ThrownBy([] { Fault::Before(nullptr); });
  EXPECT_THAT(message, StartsWith(std::string(__FILE__) + ":" + std::to_string(line) + ": "));
  EXPECT_THAT(message, HasSubstr("the action is empty"));
}

}  // namespace
}  // namespace portres::testing_fake
