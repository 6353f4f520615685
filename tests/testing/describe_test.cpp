// Describe(): the text every printer, matcher and report uses.
#include <gtest/gtest.h>
#include <portres/describe.h>

namespace portres {
namespace {

CallRecord Record(std::uint64_t index, Api api, SOCKET s, DWORD code = 0) {
  CallRecord record;
  record.call.index = index;
  record.call.api = api;
  record.call.socket = s;
  record.call.code = code;
  return record;
}

TEST(DescribePorts, ABlock_ReadsFirstDotDotLast) {
  EXPECT_EQ(DescribePorts(5000, 20), "5000..5019");
  EXPECT_EQ(DescribePorts(5000, 1), "5000..5000");
}

TEST(DescribePorts, ABlockPastTheLastPort_SaysSo) {
  EXPECT_EQ(DescribePorts(65530, 10), "65530..65539 (past 65535)");
}

TEST(DescribePorts, NoPorts_SaysSo) { EXPECT_EQ(DescribePorts(5000, 0), "5000 (no ports)"); }

TEST(DescribeToken, ReadsHexAndNamesTheInvalidToken) {
  EXPECT_EQ(DescribeToken(0x2a), "token 0x2a");
  EXPECT_EQ(DescribeToken(INVALID_PORT_RESERVATION_TOKEN), "INVALID_PORT_RESERVATION_TOKEN");
}

TEST(DescribeSocketHandle, ReadsHexAndNamesInvalidSocket) {
  EXPECT_EQ(DescribeSocketHandle(0x104), "0x104");
  EXPECT_EQ(DescribeSocketHandle(INVALID_SOCKET), "INVALID_SOCKET");
}

TEST(DescribeIoctl, NamesTheReservationIoctlsAndShowsOthersInHex) {
  EXPECT_EQ(DescribeIoctl(SIO_ACQUIRE_PORT_RESERVATION), "SIO_ACQUIRE_PORT_RESERVATION");
  EXPECT_EQ(DescribeIoctl(SIO_RELEASE_PORT_RESERVATION), "SIO_RELEASE_PORT_RESERVATION");
  EXPECT_EQ(DescribeIoctl(SIO_ASSOCIATE_PORT_RESERVATION), "SIO_ASSOCIATE_PORT_RESERVATION");
  EXPECT_EQ(DescribeIoctl(0x12345678), "0x12345678");
}

TEST(DescribeSocketKind, NamesTransportsAndFamilies) {
  EXPECT_EQ(DescribeSocketKind(AF_INET, SOCK_STREAM, IPPROTO_TCP), "TCP");
  EXPECT_EQ(DescribeSocketKind(AF_INET, SOCK_DGRAM, 0), "UDP");
  EXPECT_EQ(DescribeSocketKind(AF_INET6, SOCK_STREAM, 0), "TCP/IPv6");
  EXPECT_EQ(DescribeSocketKind(AF_INET, SOCK_RAW, IPPROTO_TCP), "SOCK_RAW");
  EXPECT_EQ(DescribeSocketKind(AF_UNIX, SOCK_STREAM, 0), "AF_UNIX");
}

TEST(DescribeCallRecord, ASuccessfulSocketCall_ShowsTheHandle) {
  CallRecord record = Record(0, Api::kSocket, 0x104);
  EXPECT_EQ(Describe(record), "#0 socket() -> 0x104");
}

TEST(DescribeCallRecord, AFailedSocketCall_ShowsInvalidSocketAndTheError) {
  CallRecord record = Record(0, Api::kSocket, INVALID_SOCKET);
  record.result = SOCKET_ERROR;
  record.error = WSAEMFILE;
  EXPECT_EQ(Describe(record), "#0 socket() -> INVALID_SOCKET, WSAEMFILE (10024)");
}

TEST(DescribeCallRecord, AnInjectedReleaseFailure_ReadsLikeTheDocumentation) {
  CallRecord record = Record(3, Api::kWSAIoctl, 0x104, SIO_RELEASE_PORT_RESERVATION);
  record.result = SOCKET_ERROR;
  record.error = WSAEINVAL;
  record.injected = true;
  record.arguments_read = true;
  record.token = 0x2a;
  EXPECT_EQ(Describe(record),
            "#3 WSAIoctl(s=0x104, SIO_RELEASE_PORT_RESERVATION, token 0x2a) -> SOCKET_ERROR, "
            "WSAEINVAL (10022) [injected]");
}

TEST(DescribeCallRecord, ASuccessfulAcquire_ShowsTheBlockAskedForAndTheBlockGot) {
  CallRecord record = Record(1, Api::kWSAIoctl, 0x104, SIO_ACQUIRE_PORT_RESERVATION);
  record.arguments_read = true;
  record.port_count = 20;
  record.granted_port = 49152;
  record.token = 0x2a;
  EXPECT_EQ(Describe(record),
            "#1 WSAIoctl(s=0x104, SIO_ACQUIRE_PORT_RESERVATION, any 20 ports) -> 0, "
            "49152..49171 token 0x2a");
}

TEST(DescribeCallRecord, AnOverlappedAcquireLeftPending_SaysOverlappedAndPending) {
  CallRecord record = Record(1, Api::kWSAIoctl, 0x104, SIO_ACQUIRE_PORT_RESERVATION);
  record.call.overlapped = true;
  record.arguments_read = true;
  record.first_port = 5000;
  record.port_count = 20;
  record.result = SOCKET_ERROR;
  record.error = WSA_IO_PENDING;
  EXPECT_EQ(Describe(record),
            "#1 WSAIoctl(s=0x104, SIO_ACQUIRE_PORT_RESERVATION, 5000..5019 (20 ports), "
            "overlapped) -> SOCKET_ERROR, WSA_IO_PENDING (997)");
}

TEST(DescribeCallRecord, AnAcquireWhoseRangeWasNotRead_SaysSoRatherThanAWildcard) {
  CallRecord record = Record(2, Api::kWSAIoctl, 0x104, SIO_ACQUIRE_PORT_RESERVATION);
  record.result = SOCKET_ERROR;
  record.error = WSAEFAULT;
  EXPECT_EQ(Describe(record),
            "#2 WSAIoctl(s=0x104, SIO_ACQUIRE_PORT_RESERVATION, range not read) -> SOCKET_ERROR, "
            "WSAEFAULT (10014)");
}

TEST(DescribeCallRecord, AReleaseOrAssociateWhoseTokenWasNotRead_SaysSoRatherThanToken0) {
  CallRecord release = Record(2, Api::kWSAIoctl, 0x104, SIO_RELEASE_PORT_RESERVATION);
  release.result = SOCKET_ERROR;
  release.error = WSAEINVAL;
  EXPECT_EQ(Describe(release),
            "#2 WSAIoctl(s=0x104, SIO_RELEASE_PORT_RESERVATION, token not read) -> SOCKET_ERROR, "
            "WSAEINVAL (10022)");
  CallRecord associate = Record(3, Api::kWSAIoctl, 0x104, SIO_ASSOCIATE_PORT_RESERVATION);
  associate.result = SOCKET_ERROR;
  associate.error = WSAEFAULT;
  EXPECT_EQ(Describe(associate),
            "#3 WSAIoctl(s=0x104, SIO_ASSOCIATE_PORT_RESERVATION, token not read) -> "
            "SOCKET_ERROR, WSAEFAULT (10014)");
}

TEST(DescribeCallRecord, ZerosThatWereRead_AreShownAsPassed) {
  CallRecord wildcard = Record(1, Api::kWSAIoctl, 0x104, SIO_ACQUIRE_PORT_RESERVATION);
  wildcard.arguments_read = true;
  wildcard.result = SOCKET_ERROR;
  wildcard.error = WSAEINVAL;
  EXPECT_EQ(Describe(wildcard),
            "#1 WSAIoctl(s=0x104, SIO_ACQUIRE_PORT_RESERVATION, any 0 ports) -> SOCKET_ERROR, "
            "WSAEINVAL (10022)");
  CallRecord release = Record(2, Api::kWSAIoctl, 0x104, SIO_RELEASE_PORT_RESERVATION);
  release.arguments_read = true;
  release.result = SOCKET_ERROR;
  release.error = WSAEINVAL;
  EXPECT_EQ(Describe(release),
            "#2 WSAIoctl(s=0x104, SIO_RELEASE_PORT_RESERVATION, INVALID_PORT_RESERVATION_TOKEN) "
            "-> SOCKET_ERROR, WSAEINVAL (10022)");
}

TEST(DescribeCallRecord, AnIoctlWithoutReservationArguments_ShowsNone) {
  CallRecord record = Record(2, Api::kWSAIoctl, 0x104, 0x12345678);
  record.result = SOCKET_ERROR;
  record.error = WSAEOPNOTSUPP;
  EXPECT_EQ(Describe(record),
            "#2 WSAIoctl(s=0x104, 0x12345678) -> SOCKET_ERROR, "
            "WSAEOPNOTSUPP (10045)");
}

TEST(DescribeCallRecord, BindAndGetSockName_ShowThePort) {
  CallRecord bind = Record(4, Api::kBind, 0x104);
  bind.bound_port = 49152;
  EXPECT_EQ(Describe(bind), "#4 bind(s=0x104) -> 0, port 49152");
  CallRecord name = Record(5, Api::kGetSockName, 0x104);
  name.bound_port = 49152;
  EXPECT_EQ(Describe(name), "#5 getsockname(s=0x104) -> 0, port 49152");
}

TEST(DescribeCallRecord, GetOverlappedResult_ShowsTrueOrFalse) {
  CallRecord done = Record(6, Api::kWSAGetOverlappedResult, 0x104);
  done.result = TRUE;
  EXPECT_EQ(Describe(done), "#6 WSAGetOverlappedResult(s=0x104) -> TRUE");
  CallRecord incomplete = Record(7, Api::kWSAGetOverlappedResult, 0x104);
  incomplete.result = FALSE;
  incomplete.error = WSA_IO_INCOMPLETE;
  EXPECT_EQ(Describe(incomplete),
            "#7 WSAGetOverlappedResult(s=0x104) -> FALSE, WSA_IO_INCOMPLETE (996)");
}

TEST(DescribeCallRecord, CloseSocket_ShowsTheSocket) {
  EXPECT_EQ(Describe(Record(8, Api::kCloseSocket, 0x104)), "#8 closesocket(s=0x104) -> 0");
}

TEST(DescribeCall, ShowsWhatAFaultPredicateSees) {
  Call call;
  call.index = 3;
  call.api = Api::kWSAIoctl;
  call.socket = 0x104;
  call.code = SIO_RELEASE_PORT_RESERVATION;
  EXPECT_EQ(Describe(call), "#3 WSAIoctl(s=0x104, SIO_RELEASE_PORT_RESERVATION)");
}

TEST(DescribeFault, NamesTheEffect) {
  EXPECT_EQ(Describe(Fault::Error(WSAENETDOWN)), "Fault::Error(WSAENETDOWN (10050))");
  EXPECT_EQ(Describe(Fault::Pend()), "Fault::Pend()");
}

TEST(DescribeCallLog, ALongLog_ShowsTheMostRecentCallsAndCountsTheRest) {
  std::vector<CallRecord> log;
  for (std::uint64_t i = 0; i < 5; ++i) log.push_back(Record(i, Api::kCloseSocket, 0x100));
  EXPECT_EQ(DescribeCallLog(log, 2),
            "  (3 earlier calls not shown)\n"
            "  #3 closesocket(s=0x100) -> 0\n"
            "  #4 closesocket(s=0x100) -> 0\n");
}

TEST(DescribeCallLog, AnEmptyLog_SaysSo) { EXPECT_EQ(DescribeCallLog({}), "  (no calls)\n"); }

}  // namespace
}  // namespace portres
