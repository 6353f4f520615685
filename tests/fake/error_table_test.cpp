// Every code of the reference page's error table ([ref:acquire][ref:associate][ref:release],
// [ref:acquire] [ref:associate] [ref:release]), plus the codes reported for the IOCTLs, can be
// produced on demand for each IOCTL, and a call failed that way changes nothing.
#include <portres/winsock_error.h>

#include <string>
#include <tuple>

#include "fake_test.h"

namespace portres::testing_fake {
namespace {

constexpr int kErrorTable[] = {
    WSA_IO_PENDING, WSA_OPERATION_ABORTED, WSAEFAULT,   WSAEINPROGRESS, WSAEINTR,
    WSAEINVAL,      WSAENETDOWN,           WSAENOTSOCK, WSAEOPNOTSUPP,  WSAEACCES,
    WSAEADDRINUSE,  WSANOTINITIALISED,
};
constexpr DWORD kIoctls[] = {SIO_ACQUIRE_PORT_RESERVATION, SIO_RELEASE_PORT_RESERVATION,
                             SIO_ASSOCIATE_PORT_RESERVATION};

class ErrorTable : public ::testing::TestWithParam<std::tuple<DWORD, int>> {
 protected:
  DWORD ioctl() const { return std::get<0>(GetParam()); }
  int error() const { return std::get<1>(GetParam()); }

  FakeSocketIoctl api_;
};

TEST_P(ErrorTable, InjectedError_FailsTheIoctlWithThatCodeAndChangesNothing) {
  const SOCKET s = OpenTcp(api_);
  const Acquired held = Acquire(api_, s, 0, 4);
  ASSERT_EQ(held.error, 0);
  const HostSnapshot before = Snapshot(api_.host());
  api_.Inject(Fault::Error(error()).When(IsIoctl(ioctl())));

  int failed_with = 0;
  if (ioctl() == SIO_ACQUIRE_PORT_RESERVATION) {
    const Acquired acquired = Acquire(api_, s, 0, 1);
    failed_with = acquired.error;
    EXPECT_EQ(acquired.bytes_returned, 0u);
  } else {
    failed_with = TokenIoctl(api_, s, ioctl(), held.token());
  }
  EXPECT_EQ(failed_with, error()) << DescribeError(failed_with);
  EXPECT_TRUE(Snapshot(api_.host()) == before);
  api_.ClearFaults();
  EXPECT_EQ(Release(api_, s, held.token()), 0) << "the reservation survived the failed call";
}

std::string ErrorTableName(const ::testing::TestParamInfo<ErrorTable::ParamType>& info) {
  const DWORD code = std::get<0>(info.param);
  std::string name = code == SIO_ACQUIRE_PORT_RESERVATION   ? "Acquire"
                     : code == SIO_RELEASE_PORT_RESERVATION ? "Release"
                                                            : "Associate";
  return name + "_" + std::string(ErrorName(std::get<1>(info.param)));
}

INSTANTIATE_TEST_SUITE_P(EveryCode, ErrorTable,
                         ::testing::Combine(::testing::ValuesIn(kIoctls),
                                            ::testing::ValuesIn(kErrorTable)),
                         ErrorTableName);

TEST(ErrorTableOnDemand, WsaIoPending_IsProducedByAPendingCall) {
  FakeSocketIoctl api;
  const SOCKET s = OpenTcp(api);
  api.Inject(Fault::Pend());
  WSAOVERLAPPED overlapped{};
  EXPECT_EQ(Acquire(api, s, 0, 1, &overlapped).error, WSA_IO_PENDING);
}

TEST(ErrorTableOnDemand, WsaOperationAborted_IsProducedByClosingTheSocketOfAPendingCall) {
  FakeSocketIoctl api;
  const SOCKET s = OpenTcp(api);
  api.Inject(Fault::Pend());
  WSAOVERLAPPED overlapped{};
  ASSERT_EQ(Acquire(api, s, 0, 1, &overlapped).error, WSA_IO_PENDING);
  ASSERT_EQ(api.closesocket(s), 0);
  EXPECT_EQ(overlapped.Internal, static_cast<ULONG_PTR>(WSA_OPERATION_ABORTED));
}

TEST(ErrorTableOnDemand, WsaOperationAborted_IsProducedByCompletingAPendingCallWithIt) {
  FakeSocketIoctl api;
  const SOCKET s = OpenTcp(api);
  api.Inject(Fault::Pend());
  WSAOVERLAPPED overlapped{};
  ASSERT_EQ(Acquire(api, s, 0, 1, &overlapped).error, WSA_IO_PENDING);
  ASSERT_TRUE(api.CompletePending(&overlapped, WSA_OPERATION_ABORTED));
  DWORD bytes = 0;
  DWORD flags = 0;
  EXPECT_EQ(api.WSAGetOverlappedResult(s, &overlapped, &bytes, FALSE, &flags), FALSE);
  EXPECT_EQ(api.WSAGetLastError(), WSA_OPERATION_ABORTED);
}

}  // namespace
}  // namespace portres::testing_fake
