// docs/cookbook.md promises that its C++ blocks are verbatim copies of code that compiles and
// runs. This test keeps the promise: every ```cpp block must appear, character for character, in
// one of the files the cookbook names. (```c++ blocks are the Windows-only originals it quotes
// for comparison and are not checked.)
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> CppBlocks(const std::string& markdown) {
  std::vector<std::string> blocks;
  const std::string open = "```cpp\n";
  for (std::size_t at = markdown.find(open); at != std::string::npos;
       at = markdown.find(open, at)) {
    const std::size_t begin = at + open.size();
    const std::size_t end = markdown.find("```", begin);
    if (end == std::string::npos) break;
    blocks.push_back(markdown.substr(begin, end - begin));
    at = end + 3;
  }
  return blocks;
}

TEST(Cookbook, EveryCppBlockIsCopiedFromCompiledCode) {
  const std::string cookbook = ReadFile(PORTRES_COOKBOOK_MD);
  ASSERT_FALSE(cookbook.empty()) << "cannot read " << PORTRES_COOKBOOK_MD;
  std::string sources;
  for (const char* file :
       {"reserved_endpoint.cpp", "cookbook_test.cpp", "fault_sweep_example_test.cpp"}) {
    sources += ReadFile(std::string(PORTRES_EXAMPLE_DIR) + "/" + file);
  }
  const std::vector<std::string> blocks = CppBlocks(cookbook);
  EXPECT_GE(blocks.size(), 10u);
  for (const std::string& block : blocks) {
    EXPECT_NE(sources.find(block), std::string::npos)
        << "docs/cookbook.md has a block that no compiled file holds:\n"
        << block;
  }
}

}  // namespace
