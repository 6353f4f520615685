// The names gMock prints for the mocks' IOCTL codes and error codes.
#include <portres/mock_values.h>
#include <portres/winsock_error.h>

#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>

namespace portres {
namespace detail {
namespace {

std::string Hex(unsigned long long value) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", value);
  return text;
}

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

// `text` with each decimal number (not part of a word, a hex literal or a negative number)
// that `name` describes replaced by that description; `name` answers "" to leave it.
template <typename Name>
std::string NameNumbers(const std::string& text, Name name) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const bool starts = std::isdigit(static_cast<unsigned char>(text[i])) != 0 &&
                        (i == 0 || !IsWordChar(text[i - 1]));
    if (!starts) {
      out += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])) != 0) ++end;
    const std::string digits = text.substr(i, end - i);
    std::string named;
    if (digits.size() <= 10 && (end == text.size() || !IsWordChar(text[end]))) {
      named = name(std::stoull(digits));
    }
    out += named.empty() ? digits : named;
    i = end;
  }
  return out;
}

}  // namespace

std::string DescribeMockedIoctlCode(unsigned long long code) {
  const std::string_view name = IoctlName(static_cast<unsigned long>(code));
  if (name.empty()) return Hex(code);
  return std::string(name) + " (" + Hex(code) + ")";
}

std::string NameIoctlCodes(const std::string& text) {
  return NameNumbers(text, [](unsigned long long code) {
    if (code > 0xffffffffULL || IoctlName(static_cast<unsigned long>(code)).empty())
      return std::string();
    return DescribeMockedIoctlCode(code);
  });
}

std::string DescribeMockedWsaError(long long code) {
  const std::string_view name = ErrorName(static_cast<int>(code));
  if (name.empty()) return std::to_string(code);
  return DescribeError(static_cast<int>(code));
}

std::string NameWsaErrors(const std::string& text) {
  return NameNumbers(text, [](unsigned long long code) {
    // 0 says nothing an error name would add ("is equal to 0").
    if (code == 0 || code > 0x7fffffffULL || ErrorName(static_cast<int>(code)).empty()) {
      return std::string();
    }
    return DescribeMockedWsaError(static_cast<long long>(code));
  });
}

std::string DescribeMockedWin32Error(unsigned long long code) {
  const std::string_view name = Win32ErrorName(static_cast<unsigned long>(code));
  if (name.empty()) return std::to_string(code);
  return std::string(name) + " (" + std::to_string(code) + ")";
}

}  // namespace detail
}  // namespace portres
