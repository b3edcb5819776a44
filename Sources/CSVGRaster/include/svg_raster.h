#ifndef EDITION_SVG_RASTER_H
#define EDITION_SVG_RASTER_H

#include <stddef.h>

/// Draws the SVG document `svg` (`size` bytes) with librsvg and cairo, in this process, as a
/// PNG `height` pixels tall, its width following the document's aspect ratio (as
/// `rsvg-convert --keep-aspect-ratio --height` does), encoded by libpng with zlib `level`
/// (0–9), a small zlib memory level and no row filter, each distinct row converted once (rows
/// equal to the one above are handed over again): cheap for a picture of flat colours, which
/// the EPUB then stores as it is. Returns 0 and sets `*png` (free it with `free`) and `*png_size`; else
/// returns non-zero and sets `*error` to a message (free it with `free`).
int edition_svg_to_png(const char *svg, size_t size, int height, int level,
                       unsigned char **png, size_t *png_size, char **error);

#endif
