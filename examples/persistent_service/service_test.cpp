// The persistent service on a simulated machine: installer, several service processes, a
// reboot in between, and the processes that must stay out of the block.
#include <gtest/gtest.h>
#include <portres/fake_ip_helper.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/winsock_error.h>

#include <memory>

#include "service.h"

namespace {

using portres::PortBlock;

constexpr PortBlock kBlock{50000, 4};

class PersistentServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(example::InstallService(installer_, kBlock)); }

  std::shared_ptr<portres::FakeHost> host_ = std::make_shared<portres::FakeHost>();
  portres::FakeIpHelper installer_{host_};
};

TEST_F(PersistentServiceTest, Start_BindsInsideTheBlock) {
  portres::FakeSocketIoctl process(host_);
  portres::FakeIpHelper ip_helper(host_);
  example::RunningService service;
  ASSERT_FALSE(example::StartService(process, ip_helper, kBlock, service));
  EXPECT_EQ(service.port, 50000);
}

TEST_F(PersistentServiceTest, TwoProcesses_EachGetAPortOfTheBlock) {
  portres::FakeSocketIoctl first(host_), second(host_);
  portres::FakeIpHelper ip_helper(host_);
  example::RunningService a, b;
  ASSERT_FALSE(example::StartService(first, ip_helper, kBlock, a));
  ASSERT_FALSE(example::StartService(second, ip_helper, kBlock, b));
  EXPECT_EQ(a.port, 50000);
  EXPECT_EQ(b.port, 50001);
}

TEST_F(PersistentServiceTest, BlockFull_StartFailsWithWsaenobufs) {
  portres::FakeSocketIoctl process(host_);
  portres::FakeIpHelper ip_helper(host_);
  example::RunningService services[4];
  for (auto& service : services) {
    ASSERT_FALSE(example::StartService(process, ip_helper, kBlock, service));
  }
  example::RunningService one_too_many;
  EXPECT_EQ(example::StartService(process, ip_helper, kBlock, one_too_many),
            portres::make_winsock_error(WSAENOBUFS));
  EXPECT_EQ(process.Sockets().size(), 4u) << "the failed start closed its socket";
}

TEST_F(PersistentServiceTest, AfterReboot_StartsAgainWithTheNewToken) {
  ULONG64 before = 0;
  ASSERT_EQ(installer_.LookupPersistentTcpPortReservation(htons(kBlock.first_port),
                                                          kBlock.port_count, &before),
            static_cast<ULONG>(NO_ERROR));
  portres::FakeSocketIoctl process(host_);
  portres::FakeIpHelper ip_helper(host_);
  {
    example::RunningService service;
    ASSERT_FALSE(example::StartService(process, ip_helper, kBlock, service));
    service.socket.release();  // the machine goes down with the socket open
  }
  host_->Reboot();

  ULONG64 after = 0;
  ASSERT_EQ(installer_.LookupPersistentTcpPortReservation(htons(kBlock.first_port),
                                                          kBlock.port_count, &after),
            static_cast<ULONG>(NO_ERROR));
  EXPECT_NE(before, after) << "the fake hands out new tokens at reboot by default";
  example::RunningService service;
  ASSERT_FALSE(example::StartService(process, ip_helper, kBlock, service));
  EXPECT_EQ(service.port, 50000);
}

TEST_F(PersistentServiceTest, TokenCachedAcrossReboot_IsRefused) {
  // The mistake the default catches: keeping the installer's token instead of looking it up.
  ULONG64 cached = 0;
  ASSERT_EQ(installer_.LookupPersistentTcpPortReservation(htons(kBlock.first_port),
                                                          kBlock.port_count, &cached),
            static_cast<ULONG>(NO_ERROR));
  host_->Reboot();
  portres::FakeSocketIoctl process(host_);
  std::error_code ec;
  portres::UniqueSocket socket =
      portres::OpenSocket(process, AF_INET, SOCK_STREAM, IPPROTO_TCP, ec);
  EXPECT_EQ(portres::AssociatePortReservation(process, socket.get(), cached),
            portres::make_winsock_error(host_->options().assumed.unknown_token));
}

TEST_F(PersistentServiceTest, UnelevatedService_CannotUseTheReservation) {
  portres::FakeSocketIoctl process(host_, portres::FakeProcessOptions{false, false});
  portres::FakeIpHelper ip_helper(host_, portres::FakeIpHelperOptions{false});
  example::RunningService service;
  EXPECT_EQ(example::StartService(process, ip_helper, kBlock, service),
            portres::make_winsock_error(WSAEACCES));
}

TEST_F(PersistentServiceTest, UnelevatedInstaller_GetsAccessDenied) {
  portres::FakeIpHelper unelevated(host_, portres::FakeIpHelperOptions{false});
  EXPECT_EQ(example::InstallService(unelevated, PortBlock{51000, 4}),
            portres::make_win32_error(ERROR_ACCESS_DENIED));
}

TEST_F(PersistentServiceTest, OtherPrograms_EphemeralBindsStayOutOfTheBlock) {
  portres::FakeHostOptions options;
  options.dynamic_first_port = 50000;  // make the block the first place bind(0) would look
  auto host = std::make_shared<portres::FakeHost>(options);
  portres::FakeIpHelper installer(host);
  ASSERT_FALSE(example::InstallService(installer, kBlock));
  portres::FakeSocketIoctl other(host);
  std::error_code ec;
  portres::UniqueSocket socket = portres::OpenSocket(other, AF_INET, SOCK_STREAM, 0, ec);
  std::uint16_t port = 0;
  ASSERT_FALSE(portres::BindToPort(other, socket.get(), AF_INET, 0, port));
  EXPECT_FALSE(kBlock.contains(port)) << port;
}

TEST_F(PersistentServiceTest, Uninstall_DeletesTheReservation) {
  ASSERT_FALSE(example::UninstallService(installer_, kBlock));
  EXPECT_TRUE(host_->Reservations().empty());
  EXPECT_FALSE(example::UninstallService(installer_, kBlock)) << "uninstalling twice is fine";
  portres::FakeSocketIoctl process(host_);
  example::RunningService service;
  EXPECT_EQ(example::StartService(process, installer_, kBlock, service),
            portres::make_win32_error(ERROR_NOT_FOUND));
}

}  // namespace
