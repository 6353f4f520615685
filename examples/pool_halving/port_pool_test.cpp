// demikernel's pool of ports on the fake: the halving search, where it gives up, the cleanup,
// and a fault sweep over every call.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault_sweep.h>

#include "port_pool.h"

namespace {

using portres::FakeSocketIoctl;

// A dynamic range of exactly 100 ports, 50000..50099.
portres::FakeHostOptions HundredPorts() {
  portres::FakeHostOptions options;
  options.dynamic_first_port = 50000;
  options.dynamic_last_port = 50099;
  return options;
}

TEST(PortPool, OnTheFake_FillsThePoolInWholeBlocks) {
  FakeSocketIoctl fake;
  example::PortPool pool = example::ReservePortPool(fake, 256, 64);
  ASSERT_EQ(pool.error, 0);
  EXPECT_EQ(pool.ports, 256u);
  EXPECT_EQ(pool.blocks.size(), 4u);
  example::ClosePortPool(fake, pool);
  EXPECT_TRUE(fake.host().Reservations().empty());
}

TEST(PortPool, ARangeTooSmallForTheBlock_HalvesUntilItFits) {
  FakeSocketIoctl fake(HundredPorts());
  example::PortPool pool = example::ReservePortPool(fake, 100, 64);
  ASSERT_EQ(pool.error, 0);
  // 64, then 64 fails: 32; then 32, 16, 8 fail: 4.
  ASSERT_EQ(pool.blocks.size(), 3u);
  EXPECT_EQ(pool.blocks[0].count, 64);
  EXPECT_EQ(pool.blocks[1].count, 32);
  EXPECT_EQ(pool.blocks[2].count, 4);
  EXPECT_EQ(pool.ports, 100u);
  example::ClosePortPool(fake, pool);
}

TEST(PortPool, AFullRange_GivesUpAfterFiveHalvings) {
  FakeSocketIoctl fake(HundredPorts());
  example::PortPool pool = example::ReservePortPool(fake, 200, 64);
  EXPECT_EQ(pool.error, WSAENOBUFS);  // the fake's wildcard answer when nothing fits
  EXPECT_EQ(pool.ports, 100u);
  const std::vector<portres::CallRecord> log = fake.CallLog();
  std::size_t failed_acquires = 0;
  for (const portres::CallRecord& record : log) {
    if (record.call.api == portres::Api::kWSAIoctl && record.error != 0) ++failed_acquires;
  }
  // 64 fails (32 fits), 32, 16 and 8 fail (4 fits), then 4 and 2 fail: five halvings.
  EXPECT_EQ(failed_acquires, 6u);
  example::ClosePortPool(fake, pool);
  EXPECT_TRUE(fake.host().Reservations().empty());
}

TEST(PortPool, ClosePortPool_EndsTheReservationsAndBalancesWSAStartup) {
  FakeSocketIoctl fake;
  example::PortPool pool = example::ReservePortPool(fake, 64, 64);
  ASSERT_EQ(pool.error, 0);
  example::ClosePortPool(fake, pool);
  EXPECT_TRUE(fake.host().Reservations().empty());
  EXPECT_EQ(fake.WSACleanup(), SOCKET_ERROR);  // nothing left to balance
  EXPECT_EQ(fake.WSAGetLastError(), WSANOTINITIALISED);
}

TEST(PortPool, EveryDocumentedErrorOfEveryCall_LeavesNothingBehind) {
  EXPECT_NO_LEAKS_UNDER_FAULTS([](portres::ISocketIoctl& api) {
    example::PortPool pool = example::ReservePortPool(api, 128, 64);
    example::ClosePortPool(api, pool);
  });
}

}  // namespace
