#include "raster/svg_png.h"

#include <cairo.h>
#include <librsvg/rsvg.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace risksync::raster {

namespace {

struct HandleDeleter {
  void operator()(RsvgHandle* h) const { g_object_unref(h); }
};
struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};

cairo_status_t append_png(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

Result<std::string> svg_to_png(std::string_view svg, double scale) {
  scale = std::clamp(std::isfinite(scale) ? scale : 1.0, 0.1, 4.0);
  GError* error = nullptr;
  std::unique_ptr<RsvgHandle, HandleDeleter> handle(
      rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.data()), svg.size(), &error));
  if (!handle) {
    std::string why = error != nullptr ? error->message : "unreadable SVG";
    if (error != nullptr) g_error_free(error);
    return bad_input("the SVG map cannot be rendered as PNG: " + why);
  }
  gdouble width = 0;
  gdouble height = 0;
  if (!rsvg_handle_get_intrinsic_size_in_pixels(handle.get(), &width, &height) || width <= 0 ||
      height <= 0)
    return bad_input("the SVG map has no width and height in pixels; cannot render it as PNG");
  const int w = static_cast<int>(std::min(8192.0, std::ceil(width * scale)));
  const int h = static_cast<int>(std::min(8192.0, std::ceil(height * scale)));
  std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
      cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    return local_io_error("cannot allocate a " + std::to_string(w) + "x" + std::to_string(h) +
                          " image for the PNG map");
  std::unique_ptr<cairo_t, ContextDeleter> cr(cairo_create(surface.get()));
  // An opaque white background: wikis in dark mode would otherwise show the map on black.
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  const RsvgRectangle viewport{0, 0, static_cast<double>(w), static_cast<double>(h)};
  if (!rsvg_handle_render_document(handle.get(), cr.get(), &viewport, &error)) {
    std::string why = error != nullptr ? error->message : "rendering failed";
    if (error != nullptr) g_error_free(error);
    return bad_input("the SVG map cannot be rendered as PNG: " + why);
  }
  std::string png;
  if (cairo_surface_write_to_png_stream(surface.get(), append_png, &png) != CAIRO_STATUS_SUCCESS)
    return local_io_error("cannot encode the PNG map");
  return png;
}

}  // namespace risksync::raster
