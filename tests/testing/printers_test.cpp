// GoogleTest prints the Winsock vocabulary through <portres/gtest_printers.h>.
#include <gtest/gtest.h>
#include <portres/gtest_printers.h>

#include <sstream>
#include <vector>

namespace portres {
namespace {

using ::testing::PrintToString;

ReservationInfo TcpRuntimeReservation() {
  ReservationInfo reservation;
  reservation.protocol = Protocol::kTcp;
  reservation.kind = ReservationKind::kRuntime;
  reservation.first_port = 5000;
  reservation.port_count = 20;
  reservation.token = 0x2a;
  reservation.owner_socket = 0x104;
  reservation.owner_pid = 1000;
  return reservation;
}

// The global-namespace structs: found by argument-dependent lookup in the global namespace.
TEST(PrintInetPortRange, ASpecificBlock_ConvertsStartPortFromNetworkOrder) {
  EXPECT_EQ(PrintToString(INET_PORT_RANGE{htons(5000), 20}), "5000..5019 (20 ports)");
}

TEST(PrintInetPortRange, AWildcard_SaysAny) {
  EXPECT_EQ(PrintToString(INET_PORT_RANGE{0, 20}), "any 20 ports");
  EXPECT_EQ(PrintToString(INET_PORT_RANGE{0, 1}), "any 1 port");
}

TEST(PrintInetPortRange, ABlockPast65535_SaysSo) {
  EXPECT_EQ(PrintToString(INET_PORT_RANGE{htons(65530), 10}),
            "65530..65539 (10 ports, past 65535)");
}

TEST(PrintInetPortRange, NoPorts_SaysSo) {
  EXPECT_EQ(PrintToString(INET_PORT_RANGE{htons(5000), 0}), "5000 (no ports)");
}

TEST(PrintInetPortReservation, IsTheSameTypeAndPrintsTheSame) {
  INET_PORT_RESERVATION reservation{htons(5000), 20};
  EXPECT_EQ(PrintToString(reservation), "5000..5019 (20 ports)");
}

TEST(PrintInetPortReservationInstance, ShowsBlockAndToken) {
  INET_PORT_RESERVATION_INSTANCE instance{};
  instance.Reservation.StartPort = htons(5000);
  instance.Reservation.NumberOfPorts = 20;
  instance.Token.Token = 0x2a;
  EXPECT_EQ(PrintToString(instance), "5000..5019 token 0x2a");
}

TEST(PrintInetPortReservationToken, ShowsTheTokenInHex) {
  EXPECT_EQ(PrintToString(INET_PORT_RESERVATION_TOKEN{0x2a}), "token 0x2a");
}

TEST(PrintReservationInfo, ARuntimeReservation_ShowsOwnerSocketAndPid) {
  EXPECT_EQ(PrintToString(TcpRuntimeReservation()),
            "TCP 5000..5019 token 0x2a (runtime, socket 0x104, pid 1000)");
}

TEST(PrintReservationInfo, APersistentReservation_HasNoOwner) {
  ReservationInfo reservation = TcpRuntimeReservation();
  reservation.protocol = Protocol::kUdp;
  reservation.kind = ReservationKind::kPersistent;
  reservation.owner_socket = INVALID_SOCKET;
  reservation.owner_pid = 0;
  EXPECT_EQ(PrintToString(reservation), "UDP 5000..5019 token 0x2a (persistent)");
}

TEST(PrintReservationInfo, InAVector_PrintsEachElement) {
  EXPECT_EQ(PrintToString(std::vector<ReservationInfo>{TcpRuntimeReservation()}),
            "{ TCP 5000..5019 token 0x2a (runtime, socket 0x104, pid 1000) }");
}

TEST(PrintSocketInfo, ShowsKindPortTokenAndPid) {
  SocketInfo socket;
  socket.handle = 0x108;
  socket.pid = 1000;
  socket.af = AF_INET;
  socket.type = SOCK_DGRAM;
  socket.protocol = IPPROTO_UDP;
  EXPECT_EQ(PrintToString(socket), "socket 0x108 (UDP, pid 1000)");
  socket.bound = true;
  socket.port = 5003;
  socket.associated_token = 0x2a;
  EXPECT_EQ(PrintToString(socket), "socket 0x108 (UDP, port 5003, token 0x2a, pid 1000)");
}

TEST(PrintCallRecord, IsOneReadableLine) {
  CallRecord record;
  record.call.index = 3;
  record.call.api = Api::kWSAIoctl;
  record.call.socket = 0x104;
  record.call.code = SIO_RELEASE_PORT_RESERVATION;
  record.result = SOCKET_ERROR;
  record.error = WSAEINVAL;
  record.injected = true;
  record.arguments_read = true;
  record.token = 0x2a;
  EXPECT_EQ(PrintToString(record),
            "#3 WSAIoctl(s=0x104, SIO_RELEASE_PORT_RESERVATION, token 0x2a) -> SOCKET_ERROR, "
            "WSAEINVAL (10022) [injected]");
}

TEST(PrintCallRecord, ArgumentsNotRead_PrintAsNotRead) {
  CallRecord record;
  record.call.index = 3;
  record.call.api = Api::kWSAIoctl;
  record.call.socket = 0x104;
  record.call.code = SIO_RELEASE_PORT_RESERVATION;
  record.result = SOCKET_ERROR;
  record.error = WSAEFAULT;
  EXPECT_EQ(PrintToString(record),
            "#3 WSAIoctl(s=0x104, SIO_RELEASE_PORT_RESERVATION, token not read) -> SOCKET_ERROR, "
            "WSAEFAULT (10014)");
}

TEST(PrintFault, NamesTheError) {
  EXPECT_EQ(PrintToString(Fault::Error(WSAENETDOWN)), "Fault::Error(WSAENETDOWN (10050))");
}

TEST(PrintEnums, UseTheirNames) {
  EXPECT_EQ(PrintToString(Protocol::kUdp), "UDP");
  EXPECT_EQ(PrintToString(ReservationKind::kPersistent), "persistent");
  // Api through PrintTo itself: GoogleTest instantiates one printer per type for the whole
  // program, and another file of this executable prints Api without this header (an ODR trap
  // that only declaring PrintTo next to the type, in <portres/fault.h>, removes).
  std::ostringstream os;
  PrintTo(Api::kWSAIoctl, &os);
  os << " ";
  PrintTo(Api::kCloseSocket, &os);
  EXPECT_EQ(os.str(), "WSAIoctl closesocket");
}

}  // namespace
}  // namespace portres
