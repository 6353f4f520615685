// Text for the Winsock vocabulary: one place decides how every value reads.
#include <portres/describe.h>
#include <portres/fake_ip_helper.h>
#include <portres/winsock_error.h>

#include <cstdio>
#include <ostream>
#include <string>

#include "ip_helper_describe.h"

namespace portres {
namespace {

constexpr std::uint32_t kLastPort = 65535;

std::string Hex(unsigned long long value) {
  char text[2 + 16 + 1];
  std::snprintf(text, sizeof text, "0x%llx", value);
  return text;
}

std::string Plural(std::uint32_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

// What the method returned, as Winsock names it.
std::string DescribeResult(const CallRecord& record) {
  switch (record.call.api) {
    case Api::kSocket:
      return record.result == 0 ? DescribeSocketHandle(record.call.socket) : "INVALID_SOCKET";
    case Api::kWSAGetOverlappedResult:
      return record.result == FALSE ? "FALSE" : "TRUE";
    default:
      return record.result == SOCKET_ERROR ? "SOCKET_ERROR" : std::to_string(record.result);
  }
}

// A call's arguments; with `record`, also the reservation arguments read from its input buffer,
// or "range not read" / "token not read" when the buffer was null or too short, so that the
// zeros left in the record never read as a wildcard acquire or a release of token 0.
std::string DescribeArguments(const Call& call, const CallRecord* record) {
  std::string text;
  auto add = [&text](const std::string& part) {
    if (!text.empty()) text += ", ";
    text += part;
  };
  if (call.api != Api::kSocket) add("s=" + DescribeSocketHandle(call.socket));
  if (call.api == Api::kWSAIoctl || call.api == Api::kWSPIoctl) {
    add(DescribeIoctl(call.code));
    if (record != nullptr && call.code == SIO_ACQUIRE_PORT_RESERVATION) {
      if (record->arguments_read) {
        add(Describe(INET_PORT_RANGE{htons(record->first_port), record->port_count}));
      } else {
        add("range not read");
      }
    } else if (record != nullptr && (call.code == SIO_RELEASE_PORT_RESERVATION ||
                                     call.code == SIO_ASSOCIATE_PORT_RESERVATION)) {
      add(record->arguments_read ? DescribeToken(record->token) : "token not read");
    }
    if (call.overlapped) add("overlapped");
  }
  return text;
}

// What the call gave back besides its result: the block acquired, the port bound.
std::string DescribeOutcome(const CallRecord& record) {
  if (record.error != 0) {
    // An injected failure's reason is the fault, which " [injected]" already says.
    if (record.reason.empty() || record.injected) return ", " + DescribeError(record.error);
    return ", " + DescribeError(record.error) + ": " + record.reason;
  }
  const Call& call = record.call;
  if ((call.api == Api::kWSAIoctl || call.api == Api::kWSPIoctl) &&
      call.code == SIO_ACQUIRE_PORT_RESERVATION && record.token != 0) {
    return ", " + DescribePorts(record.granted_port, record.port_count) + " " +
           DescribeToken(record.token);
  }
  if ((call.api == Api::kBind || call.api == Api::kGetSockName) && record.bound_port != 0) {
    return ", port " + std::to_string(record.bound_port);
  }
  return "";
}

}  // namespace

std::uint16_t ByteSwap(std::uint16_t port) {
  return static_cast<std::uint16_t>((port >> 8 | port << 8) & 0xffff);
}

bool LooksByteSwapped(std::uint16_t read_as) {
  auto trailing_zeros = [](std::uint32_t value) {
    int zeros = 0;
    for (; value != 0 && value % 10 == 0; value /= 10) ++zeros;
    return zeros;
  };
  const std::uint16_t swapped = ByteSwap(read_as);
  return read_as != 0 && swapped != read_as && trailing_zeros(swapped) > trailing_zeros(read_as);
}

std::string DescribeByteSwap(const char* field, std::uint16_t read_as) {
  return std::string(field) + " " + Hex(read_as) + " reads as " + std::to_string(read_as) +
         "; did you forget htons? (" + std::to_string(ByteSwap(read_as)) + " swapped)";
}

std::string DescribePorts(std::uint32_t first_port, std::uint32_t port_count) {
  if (port_count == 0) return std::to_string(first_port) + " (no ports)";
  const std::uint32_t last = first_port + port_count - 1;
  std::string text = std::to_string(first_port) + ".." + std::to_string(last);
  if (last > kLastPort) text += " (past 65535)";
  return text;
}

std::string DescribeToken(ULONG64 token) {
  if (token == INVALID_PORT_RESERVATION_TOKEN) return "INVALID_PORT_RESERVATION_TOKEN";
  return "token " + Hex(token);
}

std::string DescribeSocketHandle(SOCKET s) {
  if (s == INVALID_SOCKET) return "INVALID_SOCKET";
  return Hex(s);
}

std::string DescribeIoctl(DWORD code) {
  const std::string_view name = IoctlName(code);
  if (name.empty()) return Hex(code);
  return std::string(name);
}

std::string DescribeSocketKind(int af, int type, int protocol) {
  if (af == AF_UNIX) return "AF_UNIX";
  if (af != AF_INET && af != AF_INET6) return "af " + std::to_string(af);
  const char* ip = af == AF_INET6 ? "/IPv6" : "";
  if (type == SOCK_STREAM && (protocol == 0 || protocol == IPPROTO_TCP)) {
    return std::string("TCP") + ip;
  }
  if (type == SOCK_DGRAM && (protocol == 0 || protocol == IPPROTO_UDP)) {
    return std::string("UDP") + ip;
  }
  if (type == SOCK_RAW) return std::string("SOCK_RAW") + ip;
  return "type " + std::to_string(type) + ", protocol " + std::to_string(protocol) + ip;
}

std::string Describe(const INET_PORT_RANGE& range) {
  const std::uint32_t count = range.NumberOfPorts;
  if (range.StartPort == 0) return "any " + Plural(count, "port");
  const std::uint32_t first = ntohs(range.StartPort);
  if (count == 0) return std::to_string(first) + " (no ports)";
  const std::uint32_t last = first + count - 1;
  std::string text =
      std::to_string(first) + ".." + std::to_string(last) + " (" + Plural(count, "port");
  if (last > kLastPort) text += ", past 65535";
  return text + ")";
}

std::string Describe(const INET_PORT_RESERVATION_INSTANCE& instance) {
  return DescribePorts(ntohs(instance.Reservation.StartPort), instance.Reservation.NumberOfPorts) +
         " " + DescribeToken(instance.Token.Token);
}

std::string Describe(const INET_PORT_RESERVATION_TOKEN& token) {
  return DescribeToken(token.Token);
}

std::string Describe(ReservationKind kind) {
  return kind == ReservationKind::kRuntime ? "runtime" : "persistent";
}

std::string Describe(const ReservationInfo& reservation) {
  std::string text = std::string(ProtocolName(reservation.protocol)) + " " +
                     DescribePorts(reservation.first_port, reservation.port_count) + " " +
                     DescribeToken(reservation.token) + " (" + Describe(reservation.kind);
  if (reservation.kind == ReservationKind::kRuntime) {
    text += ", socket " + DescribeSocketHandle(reservation.owner_socket) + ", pid " +
            std::to_string(reservation.owner_pid);
  }
  return text + ")";
}

std::string Describe(const SocketInfo& socket) {
  std::string text = "socket " + DescribeSocketHandle(socket.handle) + " (" +
                     DescribeSocketKind(socket.af, socket.type, socket.protocol);
  if (socket.bound) text += ", port " + std::to_string(socket.port);
  if (socket.associated_token != INVALID_PORT_RESERVATION_TOKEN) {
    text += ", " + DescribeToken(socket.associated_token);
  }
  return text + ", pid " + std::to_string(socket.pid) + ")";
}

std::string Describe(const CallRecord& record) {
  if (IsIpHelperApi(record.call.api)) return DescribeIpHelperCall(record.call, &record);
  std::string text = "#" + std::to_string(record.call.index) + " " +
                     std::string(ApiName(record.call.api)) + "(" +
                     DescribeArguments(record.call, &record) + ") -> " + DescribeResult(record) +
                     DescribeOutcome(record);
  if (record.injected) text += " [injected]";
  const Call& call = record.call;
  if (call.api == Api::kWSAIoctl && call.code == SIO_ACQUIRE_PORT_RESERVATION &&
      record.arguments_read && LooksByteSwapped(record.first_port)) {
    text += " -- " + DescribeByteSwap("StartPort", record.first_port);
  } else if (call.api == Api::kBind && LooksByteSwapped(record.bound_port)) {
    text += " -- " + DescribeByteSwap("sin_port", record.bound_port);
  }
  return text;
}

std::string Describe(const Call& call) {
  if (IsIpHelperApi(call.api)) return DescribeIpHelperCall(call, nullptr);
  return "#" + std::to_string(call.index) + " " + std::string(ApiName(call.api)) + "(" +
         DescribeArguments(call, nullptr) + ")";
}

std::string Describe(const Fault& fault) {
  if (fault.pends()) return "Fault::Pend()";
  if (fault.runs_action()) return "Fault::Before(action)";
  return "Fault::Error(" + DescribeError(fault.error()) + ")";
}

std::string DescribeCallLog(const std::vector<CallRecord>& log, std::size_t max_calls) {
  std::string text;
  std::size_t first = 0;
  if (log.size() > max_calls) {
    first = log.size() - max_calls;
    text += "  (" + std::to_string(first) + " earlier calls not shown)\n";
  }
  for (std::size_t i = first; i < log.size(); ++i) text += "  " + Describe(log[i]) + "\n";
  if (log.empty()) text += "  (no calls)\n";
  return text;
}

}  // namespace portres

namespace portres {

void PrintTo(Api api, std::ostream* os) { *os << ApiName(api); }
void PrintTo(const Call& call, std::ostream* os) { *os << Describe(call); }
void PrintTo(const Fault& fault, std::ostream* os) { *os << Describe(fault); }
void PrintTo(const CallRecord& record, std::ostream* os) { *os << Describe(record); }
void PrintTo(Protocol protocol, std::ostream* os) { *os << ProtocolName(protocol); }
void PrintTo(ReservationKind kind, std::ostream* os) { *os << Describe(kind); }
void PrintTo(const ReservationInfo& reservation, std::ostream* os) { *os << Describe(reservation); }
void PrintTo(const SocketInfo& socket, std::ostream* os) { *os << Describe(socket); }

}  // namespace portres
