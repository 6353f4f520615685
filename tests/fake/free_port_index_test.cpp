// How wildcard acquires and ephemeral binds choose ports ([ref:open-4]): the
// smallest free run of the dynamic range that fits, lowest start among equals; bind(0) takes
// the lowest free port. Exercised through the public API on a small dynamic range.
#include "fake_test.h"

namespace portres::testing_fake {
namespace {

class FreePorts : public ::testing::Test {
 protected:
  static FakeHostOptions SmallRange() {
    FakeHostOptions options;
    options.dynamic_first_port = 1000;
    options.dynamic_last_port = 1099;
    return options;
  }
  // Leaves free runs 1000..1009 (10), 1020..1024 (5), 1030..1035 (6) and 1090..1099 (10).
  void Fragment() {
    ASSERT_EQ(Acquire(api_, s_, 1010, 10).error, 0);
    ASSERT_EQ(Acquire(api_, s_, 1025, 5).error, 0);
    ASSERT_EQ(Acquire(api_, s_, 1036, 54).error, 0);
  }

  FakeSocketIoctl api_{SmallRange()};
  SOCKET s_ = OpenTcp(api_);
};

TEST_F(FreePorts, Wildcard_OnAnEmptyRange_StartsAtItsFirstPort) {
  EXPECT_EQ(Acquire(api_, s_, 0, 7).first_port(), 1000);
}

TEST_F(FreePorts, Wildcard_TakesTheSmallestRunThatFits) {
  Fragment();
  EXPECT_EQ(Acquire(api_, s_, 0, 5).first_port(), 1020);
  EXPECT_EQ(Acquire(api_, s_, 0, 6).first_port(), 1030);
  EXPECT_EQ(Acquire(api_, s_, 0, 4).first_port(), 1000) << "two runs of 10: the lower one";
}

TEST_F(FreePorts, Wildcard_AmongEqualRuns_TakesTheLowest) {
  Fragment();
  EXPECT_EQ(Acquire(api_, s_, 0, 8).first_port(), 1000);
  EXPECT_EQ(Acquire(api_, s_, 0, 8).first_port(), 1090);
}

TEST_F(FreePorts, Wildcard_LargerThanEveryRun_FailsWithWsaenobufs_Assumed) {
  // AssumedErrors::acquire_no_room.
  Fragment();
  EXPECT_EQ(Acquire(api_, s_, 0, 11).error, WSAENOBUFS);
}

TEST_F(FreePorts, Release_MergesRunsAgain) {
  Fragment();
  const Acquired middle = Acquire(api_, s_, 0, 5);  // 1020..1024
  ASSERT_EQ(middle.first_port(), 1020);
  const std::vector<ReservationInfo> held = api_.Reservations();
  for (const ReservationInfo& r : held) ASSERT_EQ(Release(api_, s_, r.token), 0);
  EXPECT_EQ(Acquire(api_, s_, 0, 100).first_port(), 1000);
}

TEST_F(FreePorts, Wildcard_AvoidsBoundPorts) {
  ASSERT_EQ(Bind(api_, OpenTcp(api_), 1003), 0);
  EXPECT_EQ(Acquire(api_, s_, 0, 5).first_port(), 1004);
}

TEST_F(FreePorts, EphemeralBind_TakesTheLowestFreePort) {
  Fragment();
  const SOCKET a = OpenTcp(api_);
  ASSERT_EQ(Bind(api_, a, 0), 0);
  EXPECT_EQ(LocalPort(api_, a), 1000);
  ASSERT_EQ(Acquire(api_, s_, 1001, 9).error, 0);
  const SOCKET b = OpenTcp(api_);
  ASSERT_EQ(Bind(api_, b, 0), 0);
  EXPECT_EQ(LocalPort(api_, b), 1020);
}

TEST_F(FreePorts, EphemeralBind_ReusesAPortOnceItsSocketCloses) {
  const SOCKET a = OpenTcp(api_);
  ASSERT_EQ(Bind(api_, a, 0), 0);
  ASSERT_EQ(api_.closesocket(a), 0);
  const SOCKET b = OpenTcp(api_);
  ASSERT_EQ(Bind(api_, b, 0), 0);
  EXPECT_EQ(LocalPort(api_, b), 1000);
}

TEST_F(FreePorts, BoundPortInsideAReleasedBlock_StaysTaken) {
  const Acquired block = Acquire(api_, s_, 0, 10);
  ASSERT_EQ(block.first_port(), 1000);
  ASSERT_EQ(Bind(api_, OpenTcp(api_), 1004), 0);  // an explicit bind into its own block
  ASSERT_EQ(Release(api_, s_, block.token()), 0);
  EXPECT_EQ(Acquire(api_, s_, 0, 5).first_port(), 1005);
  EXPECT_EQ(Acquire(api_, s_, 0, 4).first_port(), 1000);
}

}  // namespace
}  // namespace portres::testing_fake
