// <portres/call_log.h>: what the fake remembers of each call, for assertions and for failure
// messages. Records are plain values; nothing is formatted until someone prints them.
#ifndef PORTRES_CALL_LOG_H
#define PORTRES_CALL_LOG_H

#include <portres/fake_export.h>
#include <portres/fault.h>
#include <portres/winsock.h>

#include <cstdint>
#include <iosfwd>
#include <string>

namespace portres {

// A call's record but its reason: plain values, so that the fake logs every call as a copy of
// words and keeps a reason only for a call that failed (CallRecord adds it).
struct CallFields {
  Call call;              // index, Api, socket (for socket(): the handle returned), code
  int result = 0;         // what the method returned; socket(): 0, or SOCKET_ERROR
  int error = 0;          // the last error it set; 0 when it succeeded
  bool injected = false;  // the error (or the pending state) came from a Fault
  // Whether the port-reservation arguments below (first_port and port_count of an acquire, the
  // token passed to a release or associate) were read from the WSAIoctl's input buffer. False
  // when the call has no such arguments or its buffer was null or too short: those fields are
  // then 0 because nothing was read, not because the caller passed 0 (a wildcard acquire).
  bool arguments_read = false;
  // The port-reservation arguments, when the call had them (host byte order).
  std::uint16_t first_port = 0;    // SIO_ACQUIRE_PORT_RESERVATION: requested start (0: wildcard)
  std::uint16_t port_count = 0;    // SIO_ACQUIRE_PORT_RESERVATION: requested count
  std::uint16_t granted_port = 0;  // SIO_ACQUIRE_PORT_RESERVATION: first port of the block got
  ULONG64 token = 0;               // release / associate: the token passed; acquire: the token got
  std::uint16_t bound_port = 0;    // bind: the port the socket got
  // The other calls' arguments, as far as they are numbers. `value`: setsockopt the int set,
  // getsockopt the int read back (when the option is an int), listen the backlog, ioctlsocket
  // *argp, WSAStartup the version requested, WSAIoctl(SIO_CPU_AFFINITY) the processor.
  int af = 0;                   // socket / WSASocket: the triple passed
  int type = 0;                 // socket / WSASocket
  int protocol = 0;             // socket / WSASocket
  DWORD flags = 0;              // WSASocket: dwFlags
  int level = 0;                // setsockopt / getsockopt: the level (the option name is call.code)
  long long value = 0;          // see above
  bool value_read = false;      // `value` was read (false: a null or short buffer)
  std::uint16_t peer_port = 0;  // connect: the port connected to; accept: the peer's port
};

// One call a simulated process made, as FakeSocketIoctl::CallLog() keeps it.
struct CallRecord : CallFields {
  // Why the fake refused the call, in words ("cbOutBuffer 8 < sizeof(INET_PORT_RESERVATION_
  // INSTANCE) 16"); empty when the call succeeded. Winsock has no such text: it is for the
  // test's reader, and built only when a call fails.
  std::string reason;
};

// GoogleTest printer (why it is declared here: <portres/gtest_printers.h>): a record in a failed
// expectation reads as Describe(const CallRecord&) writes it.
PORTRES_FAKE_API void PrintTo(const CallRecord& record, std::ostream* os);

}  // namespace portres

#endif  // PORTRES_CALL_LOG_H
