// raster::svg_to_png (src/raster/svg_png.h): the PNG twin of the map, with librsvg + cairo.
#include "raster/svg_png.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "model/zones.h"
#include "render/page.h"

namespace risksync {
namespace {

// Width and height from the PNG's IHDR chunk (big-endian, bytes 16..23).
std::pair<std::uint32_t, std::uint32_t> png_size(const std::string& png) {
  const auto be = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(png[at + i]);
    return v;
  };
  return {be(16), be(20)};
}

TEST(SvgToPng, RendersAtTheIntrinsicSizeTimesTheScale) {
  const std::string svg =
      "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" "
      "height=\"40\" viewBox=\"0 0 120 40\"><rect width=\"120\" height=\"40\" "
      "fill=\"#e53935\"/></svg>";
  auto png = raster::svg_to_png(svg);
  ASSERT_TRUE(png.ok()) << png.error().to_string();
  ASSERT_GT(png->size(), 24u);
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png_size(*png), (std::pair<std::uint32_t, std::uint32_t>{120, 40}));
  auto twice = raster::svg_to_png(svg, 2.0);
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(png_size(*twice), (std::pair<std::uint32_t, std::uint32_t>{240, 80}));
  EXPECT_EQ(raster::svg_to_png(svg).value(), *png);  // same input, same bytes
}

TEST(SvgToPng, TheRiskMapRenders) {
  auto png = raster::svg_to_png(render_svg_maps(Assessment{}, ZoneGrid::default_grid(), Lang::fr));
  ASSERT_TRUE(png.ok()) << png.error().to_string();
  EXPECT_GT(png_size(*png).first, 1000u);
}

TEST(SvgToPng, UnreadableSvgIsBadInput) {
  for (const std::string bad :
       {"", "not svg at all", "<svg xmlns=\"http://www.w3.org/2000/svg\""}) {
    auto png = raster::svg_to_png(bad);
    ASSERT_FALSE(png.ok()) << bad;
    EXPECT_EQ(png.error().kind, ErrorKind::bad_input);
  }
}

}  // namespace
}  // namespace risksync
