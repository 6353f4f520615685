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
    case Api::kWSASocketW:
    case Api::kWSASocketA:
      return record.result == 0 ? DescribeSocketHandle(record.call.socket) : "INVALID_SOCKET";
    case Api::kAccept:
      return record.error == 0 ? DescribeSocketHandle(static_cast<SOCKET>(record.value))
                               : "INVALID_SOCKET";
    case Api::kWSAGetOverlappedResult:
      return record.result == FALSE ? "FALSE" : "TRUE";
    default:
      return record.result == SOCKET_ERROR ? "SOCKET_ERROR" : std::to_string(record.result);
  }
}

// The level and name of a socket option, as the SDK spells them.
std::string DescribeOption(int level, int option) {
  std::string text;
  switch (level) {
    case SOL_SOCKET:
      text = "SOL_SOCKET, ";
      switch (option) {
        case SO_REUSEADDR:
          return text + "SO_REUSEADDR";
        case SO_EXCLUSIVEADDRUSE:
          return text + "SO_EXCLUSIVEADDRUSE";
        case SO_RCVBUF:
          return text + "SO_RCVBUF";
        case SO_SNDBUF:
          return text + "SO_SNDBUF";
        case SO_TYPE:
          return text + "SO_TYPE";
        case SO_PROTOCOL_INFOW:
          return text + "SO_PROTOCOL_INFOW";
        case SO_PROTOCOL_INFOA:
          return text + "SO_PROTOCOL_INFOA";
        default:
          break;
      }
      break;
    case IPPROTO_IPV6:
      text = "IPPROTO_IPV6, ";
      if (option == IPV6_V6ONLY) return text + "IPV6_V6ONLY";
      break;
    case IPPROTO_TCP:
      text = "IPPROTO_TCP, ";
      if (option == TCP_NODELAY) return text + "TCP_NODELAY";
      break;
    default:
      text = "level " + std::to_string(level) + ", ";
      break;
  }
  return text + "option " + Hex(static_cast<unsigned int>(option));
}

// The arguments of the calls beyond the reservation ones, from what the record kept.
template <typename Add>
void DescribeSurfaceArguments(const Call& call, const CallRecord& record, Add&& add) {
  const std::string value = record.value_read ? std::to_string(record.value) : "value not read";
  switch (call.api) {
    case Api::kSocket:
    case Api::kWSASocketW:
    case Api::kWSASocketA:
      // socket() keeps its short form, "socket() -> 0x100".
      if (call.api == Api::kSocket) break;
      add(DescribeSocketKind(record.af, record.type, record.protocol));
      add("flags " + Hex(record.flags));
      break;
    case Api::kWSAStartup:
      add("version " + std::to_string(record.value & 0xff) + "." +
          std::to_string((record.value >> 8) & 0xff));
      break;
    case Api::kSetSockOpt:
      add(DescribeOption(record.level, static_cast<int>(call.code)));
      add(value);
      break;
    case Api::kGetSockOpt:
      add(DescribeOption(record.level, static_cast<int>(call.code)));
      break;
    case Api::kConnect:
      add(record.value_read ? "port " + std::to_string(record.peer_port) : "address not read");
      break;
    case Api::kListen:
      add("backlog " + value);
      break;
    case Api::kIoctlSocket:
      add(call.code == static_cast<DWORD>(FIONBIO) ? std::string("FIONBIO") : Hex(call.code));
      add(value);
      break;
    case Api::kWSAIoctl:
      if (call.code == SIO_CPU_AFFINITY) add("processor " + value);
      break;
    default:
      break;
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
  const bool opens =
      call.api == Api::kSocket || call.api == Api::kWSASocketW || call.api == Api::kWSASocketA;
  const bool has_socket = !opens && call.api != Api::kWSAStartup && call.api != Api::kWSACleanup;
  if (has_socket) add("s=" + DescribeSocketHandle(call.socket));
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
  if (record != nullptr) DescribeSurfaceArguments(call, *record, add);
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
  if (call.api == Api::kConnect && record.bound_port != 0) {
    return ", local port " + std::to_string(record.bound_port);
  }
  if ((call.api == Api::kAccept || call.api == Api::kGetPeerName) && record.peer_port != 0) {
    return ", peer port " + std::to_string(record.peer_port);
  }
  if (call.api == Api::kGetSockOpt && record.value_read) {
    return ", value " + std::to_string(record.value);
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
