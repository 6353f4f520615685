// The reasons, in words, that go with the fake's refusals (CallRecord::reason). Diagnostics only:
// Winsock has no such text. Built only on the failing branch of a rule.
#ifndef PORTRES_FAKE_REASONS_H
#define PORTRES_FAKE_REASONS_H

#include <portres/fake_host.h>
#include <portres/winsock.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "block_table.h"

namespace portres::detail {

// "cbOutBuffer 8 < sizeof(INET_PORT_RESERVATION_INSTANCE) 16".
std::string TooSmall(const char* argument, std::uint64_t actual, const char* type,
                     std::size_t size);
// "the TCP runtime block 5010..5029 of pid 1001, socket 0x108", "the UDP persistent block ...".
std::string DescribeBlock(Protocol protocol, const Block& block);
// "socket 0x104 (TCP)".
std::string DescribeSocket(SOCKET s, int af, int type, int protocol);

}  // namespace portres::detail

#endif  // PORTRES_FAKE_REASONS_H
