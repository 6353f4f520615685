// netsh's tables, read and printed. The layout, and what pastes of it look like in the field,
// is [ref:netsh-layout]; the machines they come from, [ref:real-machines].
//
// Reading goes by shape, not by words: the words are localized, the shapes are not. A table of
// reservations is found by its underline (two groups of dashes), a dynamic range by its single
// dashed line followed by two "label : number" lines; a table's protocol is the `tcp` or `udp`
// of its title. A log prefix is whatever precedes the underline, and is taken to have that
// width on every line of the table (timestamps and fixed labels do).
#include <portres/netsh.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "host_state.h"

namespace portres {
namespace detail {
struct HostAccess {
  static HostState& Of(FakeHost& host) { return *host.state_; }
};
}  // namespace detail

namespace {

constexpr std::uint32_t kLastPort = 65535;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}
std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  return s;
}
std::string_view Trim(std::string_view s) { return TrimLeft(TrimRight(s)); }

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    lines.push_back(TrimRight(text.substr(0, end)));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

// The part of a line after a table's log prefix.
std::string_view Content(std::string_view line, std::size_t prefix) {
  return line.size() > prefix ? line.substr(prefix) : std::string_view();
}

// The underline of a table: its dash groups at the end of the line, and where they start.
struct Underline {
  std::size_t prefix = 0;
  int groups = 0;
};

std::optional<Underline> FindUnderline(std::string_view line) {
  auto dash_run_before = [&](std::size_t end) {  // [begin, end) of the run of '-' ending at end
    std::size_t begin = end;
    while (begin > 0 && line[begin - 1] == '-') --begin;
    return begin;
  };
  const std::size_t last_begin = dash_run_before(line.size());
  const std::size_t last_length = line.size() - last_begin;
  if (last_length < 3) return std::nullopt;
  std::size_t gap = last_begin;
  while (gap > 0 && IsSpace(line[gap - 1])) --gap;
  if (gap < last_begin && gap > 0 && line[gap - 1] == '-') {
    const std::size_t first_begin = dash_run_before(gap);
    if (gap - first_begin >= 3) return Underline{first_begin, 2};
  }
  // A lone run of dashes is a dynamic port table's rule (netsh prints 33); short runs are
  // something else.
  if (last_length >= 10) return Underline{last_begin, 1};
  return std::nullopt;
}

// The protocol word of a title (or prompt) line: `tcp` or `udp` as a word, in any case.
std::optional<Protocol> ProtocolWord(std::string_view line) {
  std::string lower(line);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  std::optional<std::pair<std::size_t, Protocol>> found;
  for (const auto& [word, protocol] :
       {std::pair<const char*, Protocol>{"tcp", Protocol::kTcp}, {"udp", Protocol::kUdp}}) {
    for (std::size_t at = lower.find(word); at != std::string::npos;
         at = lower.find(word, at + 1)) {
      const bool starts = at == 0 || !IsAlnum(lower[at - 1]);
      const bool ends = at + 3 == lower.size() || !IsAlnum(lower[at + 3]);
      if (starts && ends) {
        if (!found || at < found->first) found.emplace(at, protocol);
        break;
      }
    }
  }
  if (!found) return std::nullopt;
  return found->second;
}

// A port number token: digits only. Returns the value (possibly past 65535), or none.
std::optional<std::uint64_t> Number(std::string_view token) {
  if (token.empty() || token.size() > 12) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : token) {
    if (!IsDigit(c)) return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

std::vector<std::string_view> Tokens(std::string_view s) {
  std::vector<std::string_view> tokens;
  for (;;) {
    s = TrimLeft(s);
    if (s.empty()) return tokens;
    std::size_t end = 0;
    while (end < s.size() && !IsSpace(s[end])) ++end;
    tokens.push_back(s.substr(0, end));
    s.remove_prefix(end);
  }
}

// "label : number" (a dynamic port table's line); the number, or none.
std::optional<std::uint64_t> LabelledNumber(std::string_view content) {
  const std::size_t colon = content.rfind(':');
  if (colon == std::string_view::npos || Trim(content.substr(0, colon)).empty()) {
    return std::nullopt;
  }
  return Number(Trim(content.substr(colon + 1)));
}

struct Row {
  std::uint32_t first = 0;
  std::uint32_t last = 0;
  bool persistent = false;
  std::size_t line = 0;  // 1-based
};

struct ExclusionTable {
  Protocol protocol = Protocol::kTcp;
  std::vector<Row> rows;
};

struct Listing {
  std::array<std::optional<ExclusionTable>, 2> exclusions;  // the last table of each protocol
  std::array<std::optional<PortRange>, 2> dynamic;
  std::size_t tables = 0;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : lines_(SplitLines(text)) {}

  Listing Parse() {
    Listing listing;
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      const std::optional<Underline> underline = FindUnderline(lines_[i]);
      if (!underline) continue;
      if (underline->groups == 2) {
        ExclusionTable table = ReadExclusions(i, underline->prefix);
        i += table.rows.size();
        const auto p = static_cast<std::size_t>(table.protocol);
        listing.exclusions[p] = std::move(table);
        ++listing.tables;
      } else if (i + 1 < lines_.size() &&
                 LabelledNumber(Content(lines_[i + 1], underline->prefix))) {
        const auto [protocol, range] = ReadDynamic(i, underline->prefix);
        listing.dynamic[static_cast<std::size_t>(protocol)] = range;
        ++listing.tables;
        i += 2;
      }
    }
    if (listing.tables == 0) {
      throw std::invalid_argument(
          "portres::LoadNetshOutput: the text (" + std::to_string(lines_.size()) +
          " lines) holds no netsh table: neither a `show excludedportrange` underline "
          "(\"----------    --------\") nor a `show dynamicport` rule followed by "
          "\"Start Port : N\"; nothing was loaded");
    }
    return listing;
  }

  [[noreturn]] void Fail(std::size_t line, const std::string& why) const {
    std::string message = "portres::LoadNetshOutput: line " + std::to_string(line);
    if (line >= 1 && line <= lines_.size()) {
      message += " (\"" + std::string(lines_[line - 1]) + "\")";
    }
    message += ": " + why + "; nothing was loaded";
    throw std::invalid_argument(message);
  }

 private:
  bool IsBlank(std::size_t i, std::size_t prefix) const {
    return Trim(Content(lines_[i], prefix)).empty();
  }

  // The protocol named by the first of the `lines` non-blank lines above line `i`, or TCP's.
  Protocol TitleProtocol(std::size_t i, std::size_t prefix, int lines) const {
    while (i > 0 && lines > 0) {
      --i;
      if (IsBlank(i, prefix)) continue;
      if (auto protocol = ProtocolWord(lines_[i])) return *protocol;
      --lines;
    }
    // Untitled (a partial paste): listings in the field are overwhelmingly protocol=tcp.
    return Protocol::kTcp;
  }

  ExclusionTable ReadExclusions(std::size_t underline, std::size_t prefix) const {
    ExclusionTable table;
    // Above the underline: the header, then the title.
    table.protocol = TitleProtocol(underline, prefix, 2);
    for (std::size_t i = underline + 1; i < lines_.size(); ++i) {
      const std::string_view content = TrimRight(Content(lines_[i], prefix));
      if (Trim(content).empty()) break;
      // Rows are right-aligned, so a row starts with a space or a digit; a footnote, a prompt
      // or other text after the table starts otherwise and ends it.
      if (!IsSpace(content.front()) && !IsDigit(content.front())) break;
      table.rows.push_back(ReadRow(content, i + 1));
    }
    return table;
  }

  Row ReadRow(std::string_view content, std::size_t line) const {
    const std::vector<std::string_view> tokens = Tokens(content);
    const bool starred = tokens.size() == 3 && tokens[2] == "*";
    if (tokens.size() != 2 && !starred) {
      Fail(line, "a row is two port numbers and an optional `*`");
    }
    const std::optional<std::uint64_t> first = Number(tokens[0]);
    const std::optional<std::uint64_t> last = Number(tokens[1]);
    if (!first || !last) Fail(line, "a row is two port numbers and an optional `*`");
    for (const std::uint64_t port : {*first, *last}) {
      if (port > kLastPort) Fail(line, "port " + std::to_string(port) + " is past 65535");
      if (port == 0) Fail(line, "port 0 is no port");
    }
    if (*first > *last) {
      Fail(line, "the start port " + std::to_string(*first) + " is after the end port " +
                     std::to_string(*last));
    }
    return Row{static_cast<std::uint32_t>(*first), static_cast<std::uint32_t>(*last), starred,
               line};
  }

  std::pair<Protocol, PortRange> ReadDynamic(std::size_t rule, std::size_t prefix) const {
    const Protocol protocol = TitleProtocol(rule, prefix, 1);
    const std::optional<std::uint64_t> start = LabelledNumber(Content(lines_[rule + 1], prefix));
    std::optional<std::uint64_t> count;
    if (rule + 2 < lines_.size()) count = LabelledNumber(Content(lines_[rule + 2], prefix));
    if (!count) {
      Fail(rule + 3,
           "a dynamic port table's \"Start Port : N\" is followed by "
           "\"Number of Ports : N\"");
    }
    if (*start == 0 || *start > kLastPort) {
      Fail(rule + 2, "the start port " + std::to_string(*start) + " is not a port (1..65535)");
    }
    if (*count == 0 || *start + *count - 1 > kLastPort) {
      Fail(rule + 3, std::to_string(*count) + " ports from " + std::to_string(*start) +
                         (*count == 0 ? " is an empty range" : " run past 65535"));
    }
    PortRange range;
    range.first_port = static_cast<std::uint16_t>(*start);
    range.last_port = static_cast<std::uint16_t>(*start + *count - 1);
    return {protocol, range};
  }

  std::vector<std::string_view> lines_;
};

std::string LowerName(Protocol protocol) { return protocol == Protocol::kTcp ? "tcp" : "udp"; }

std::string Padded(std::uint32_t value, std::size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), ' ');
  return digits;
}

}  // namespace

void LoadNetshOutput(FakeHost& host, std::string_view text) {
  Parser parser(text);
  const Listing listing = parser.Parse();
  std::vector<detail::HostState::MachineRow> rows;
  for (const auto& table : listing.exclusions) {
    if (!table) continue;
    std::vector<Row> sorted = table->rows;
    std::sort(sorted.begin(), sorted.end(),
              [](const Row& a, const Row& b) { return a.first < b.first; });
    for (std::size_t i = 1; i < sorted.size(); ++i) {
      if (sorted[i].first <= sorted[i - 1].last) {
        parser.Fail(sorted[i].line, "it overlaps line " + std::to_string(sorted[i - 1].line) +
                                        " (" + std::to_string(sorted[i - 1].first) + ".." +
                                        std::to_string(sorted[i - 1].last) + ")");
      }
    }
    for (const Row& row : table->rows) {
      rows.push_back({table->protocol, row.first, row.last, row.persistent, row.line});
    }
  }
  if (auto conflict = detail::HostAccess::Of(host).LoadMachine(rows, listing.dynamic)) {
    parser.Fail(conflict->tag, conflict->reason);
  }
}

std::string NetshExcludedPortRanges(const FakeHost& host, Protocol protocol) {
  std::string out = "\nProtocol " + LowerName(protocol) +
                    " Port Exclusion Ranges\n\n"
                    "Start Port    End Port      \n"
                    "----------    --------      \n";
  for (const ReservationInfo& reservation : host.Reservations()) {
    if (reservation.protocol != protocol) continue;
    const std::uint32_t last = reservation.first_port + reservation.port_count - 1U;
    out += Padded(reservation.first_port, 10) + "  " + Padded(last, 10);
    out += reservation.kind == ReservationKind::kPersistent ? "     *\n" : "      \n";
  }
  out += "\n* - Administered port exclusions.\n\n";
  return out;
}

std::string NetshDynamicPortRange(const FakeHost& host, Protocol protocol) {
  const PortRange range = host.DynamicPortRange(protocol);
  return "\nProtocol " + LowerName(protocol) +
         " Dynamic Port Range\n"
         "---------------------------------\n"
         "Start Port      : " +
         std::to_string(range.first_port) +
         "\n"
         "Number of Ports : " +
         std::to_string(range.last_port - range.first_port + 1) + "\n\n";
}

std::string NetshListing(const FakeHost& host) {
  return NetshExcludedPortRanges(host, Protocol::kTcp) +
         NetshExcludedPortRanges(host, Protocol::kUdp) +
         NetshDynamicPortRange(host, Protocol::kTcp) + NetshDynamicPortRange(host, Protocol::kUdp);
}

void PrintTo(const FakeHost& host, std::ostream* os) { *os << NetshListing(host); }

}  // namespace portres
