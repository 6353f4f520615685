// A rejected call changes nothing: the host's reservations and sockets are the same
// before and after every kind of refusal.
#include "fake_test.h"

namespace portres::testing_fake {
namespace {

class RejectedCall : public FakeTest {
 protected:
  void SetUp() override {
    holder_ = OpenTcp(api());
    held_ = Acquire(api(), holder_, 50000, 10);
    ASSERT_EQ(held_.error, 0);
    bound_ = OpenTcp(api());
    ASSERT_EQ(Bind(api(), bound_, 40000), 0);
    ULONG64 token = 0;
    ASSERT_EQ(ip_helper().CreatePersistentTcpPortReservation(htons(30000), 5, &token),
              static_cast<ULONG>(NO_ERROR));
    before_ = Snapshot(host());
  }
  void ExpectUnchanged() { EXPECT_TRUE(Snapshot(host()) == before_); }

  SOCKET holder_ = INVALID_SOCKET;
  SOCKET bound_ = INVALID_SOCKET;
  Acquired held_;
  HostSnapshot before_;
};

TEST_F(RejectedCall, AcquireOverlap_ChangesNothing) {
  EXPECT_EQ(Acquire(api(), holder_, 50005, 10).error, WSAEADDRINUSE);
  EXPECT_EQ(Acquire(api(), holder_, 30000, 1).error, WSAEADDRINUSE);
  EXPECT_EQ(Acquire(api(), holder_, 40000, 1).error, WSAEADDRINUSE);
  ExpectUnchanged();
}

TEST_F(RejectedCall, AcquireBadArguments_ChangeNothing) {
  EXPECT_EQ(Acquire(api(), holder_, 1000, 0).error, WSAEINVAL);
  EXPECT_EQ(Acquire(api(), holder_, 65530, 10).error, WSAEINVAL);
  INET_PORT_RANGE range{};
  range.NumberOfPorts = 1;
  unsigned char small[4] = {};
  DWORD bytes = 0;
  EXPECT_EQ(
      ErrorOf(api(), api().WSAIoctl(holder_, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range,
                                    small, sizeof small, &bytes, nullptr, nullptr)),
      WSAEINVAL);
  ExpectUnchanged();
}

TEST_F(RejectedCall, ReleaseAndAssociateRefusals_ChangeNothing) {
  EXPECT_EQ(Release(api(), holder_, 12345), WSAEINVAL);
  EXPECT_EQ(Associate(api(), bound_, held_.token()), WSAEINVAL);  // already bound
  EXPECT_EQ(Associate(api(), holder_, 12345), WSAEINVAL);
  ULONG64 token = held_.token();
  DWORD bytes = 0;
  EXPECT_EQ(ErrorOf(api(), api().WSAIoctl(holder_, SIO_RELEASE_PORT_RESERVATION, &token,
                                          sizeof token - 1, nullptr, 0, &bytes, nullptr, nullptr)),
            WSAEINVAL);
  ExpectUnchanged();
}

TEST_F(RejectedCall, BindRefusals_ChangeNothing) {
  const SOCKET s = OpenTcp(api());
  before_ = Snapshot(host());
  EXPECT_EQ(Bind(api(), s, 40000), WSAEADDRINUSE);
  EXPECT_EQ(Bind(api(), bound_, 0), WSAEINVAL);
  EXPECT_EQ(ErrorOf(api(), api().bind(s, nullptr, 0)), WSAEFAULT);
  FakeSocketIoctl other(shared_host());
  const SOCKET theirs = OpenTcp(other);
  before_ = Snapshot(host());
  EXPECT_EQ(Bind(other, theirs, 50001), WSAEACCES);
  ExpectUnchanged();
}

TEST_F(RejectedCall, InjectedCloseSocket_KeepsTheSocketAndItsReservations) {
  api().Inject(Fault::Error(WSAENETDOWN).When(IsApi(Api::kCloseSocket)));
  EXPECT_EQ(ErrorOf(api(), api().closesocket(holder_)), WSAENETDOWN);
  ExpectUnchanged();
}

TEST_F(RejectedCall, InjectedSocket_OpensNothing) {
  api().Inject(Fault::Error(WSAENETDOWN));
  EXPECT_EQ(OpenTcp(api()), INVALID_SOCKET);
  ExpectUnchanged();
}

TEST_F(RejectedCall, PersistentRefusals_ChangeNothing) {
  ULONG64 token = 0;
  EXPECT_EQ(ip_helper().CreatePersistentTcpPortReservation(htons(30002), 5, &token),
            static_cast<ULONG>(ERROR_SHARING_VIOLATION));
  EXPECT_EQ(ip_helper().CreatePersistentTcpPortReservation(htons(50000), 1, &token),
            static_cast<ULONG>(ERROR_SHARING_VIOLATION));
  EXPECT_EQ(ip_helper().DeletePersistentTcpPortReservation(htons(30000), 4),
            static_cast<ULONG>(ERROR_NOT_FOUND));
  FakeIpHelperOptions unelevated;
  unelevated.elevated = false;
  FakeIpHelper guest(shared_host(), unelevated);
  EXPECT_EQ(guest.DeletePersistentTcpPortReservation(htons(30000), 5),
            static_cast<ULONG>(ERROR_ACCESS_DENIED));
  ExpectUnchanged();
}

TEST(CreatePersistent, WithNullToken_FailsWithErrorInvalidParameter_Assumed) {
  // The pages do not say; a null out-pointer is an invalid parameter here.
  auto host = std::make_shared<FakeHost>();
  FakeIpHelper helper(host);
  EXPECT_EQ(helper.CreatePersistentTcpPortReservation(htons(5000), 1, nullptr),
            static_cast<ULONG>(ERROR_INVALID_PARAMETER));
  ULONG64 token = 0;
  EXPECT_EQ(helper.CreatePersistentTcpPortReservation(htons(5000), 1, &token),
            static_cast<ULONG>(NO_ERROR));
  EXPECT_EQ(helper.LookupPersistentTcpPortReservation(htons(5000), 1, nullptr),
            static_cast<ULONG>(ERROR_INVALID_PARAMETER));
}

}  // namespace
}  // namespace portres::testing_fake
