// <portres/netsh.h>: a machine as `netsh` shows it, in and out.
//
// Bug reports about port reservations come with the same evidence: the output of
// `netsh interface ipv4 show excludedportrange protocol=tcp` (and `show dynamicport tcp`),
// pasted from the reporter's machine. LoadNetshOutput makes a FakeHost that machine, so a test
// reproduces the report in a line; NetshExcludedPortRanges prints a host the way netsh would,
// for failure messages and for comparing with a reporter's paste:
//
//   portres::FakeHost host;
//   portres::LoadNetshOutput(host, R"(
//   Protocol tcp Port Exclusion Ranges
//
//   Start Port    End Port
//   ----------    --------
//        49709       49808
//        50000       50059     *
//   )");
//   // An explicit bind to 49710 by any process now fails with WSAEACCES.
//
// The layout is netsh's, as docs/reference.md describes it (netsh-layout). Thread-safe as
// FakeHost is.
#ifndef PORTRES_NETSH_H
#define PORTRES_NETSH_H

#include <portres/fake_export.h>
#include <portres/fake_host.h>

#include <string>
#include <string_view>

namespace portres {

// Makes `host` hold what `text` shows: any text holding the output of `show excludedportrange`
// and `show dynamicport`, in English or localized, with or without trailing spaces, blank
// lines, prompt lines, or a log prefix (of one width per table) before each line.
// - A table's protocol comes from its title (`tcp`/`udp` appear in every language); a table
//   pasted without its title is TCP's unless a prompt line above it names `udp`.
// - Rows are read by their shape (two port numbers and an optional `*`). A row without `*`
//   becomes a runtime reservation held by the System process (FakeHost::kSystemPid): another
//   process's explicit bind into it fails with WSAEACCES, a specific acquire over it with
//   WSAEADDRINUSE, and wildcard acquires and bind(port 0) avoid it. A row with `*` becomes a
//   persistent reservation. A `show dynamicport` table sets that protocol's dynamic range.
// - When the text holds several tables of one protocol, the last is the machine's state. A row
//   the host already holds as stated (the same ports, runtime or persistent) is kept as it is.
// Throws std::invalid_argument, naming the line and why, and loads nothing, for a malformed
// table (a row that is not two port numbers with an optional `*`, a start after its end, a
// port past 65535, rows that overlap), a row that conflicts with what the host holds, or a
// text with no table at all.
PORTRES_FAKE_API void LoadNetshOutput(FakeHost& host, std::string_view text);

// What `netsh interface ipv4 show excludedportrange protocol=tcp|udp` would print for `host`,
// byte for byte in netsh's English layout (its blank lines, its six-space row endings, its
// footnote), with `\n` line ends: one row per reservation of `protocol`, runtime (of every
// process) and persistent (marked `*`), sorted by first port. LoadNetshOutput reads it back.
PORTRES_FAKE_API std::string NetshExcludedPortRanges(const FakeHost& host, Protocol protocol);

// What `netsh interface ipv4 show dynamicport tcp|udp` would print for `host`, in the same
// layout and line ends.
PORTRES_FAKE_API std::string NetshDynamicPortRange(const FakeHost& host, Protocol protocol);

// The host as a reporter would paste it, for failure messages: both protocols' tables of
// reservations, then both dynamic ranges, in netsh's layout. GoogleTest prints a FakeHost this
// way (PrintTo in <portres/fake_host.h>), so `EXPECT_THAT(host, ...)` shows the machine:
//
//   EXPECT_EQ(FindFreePort(api), expected) << portres::NetshListing(host);
PORTRES_FAKE_API std::string NetshListing(const FakeHost& host);

}  // namespace portres

#endif  // PORTRES_NETSH_H
