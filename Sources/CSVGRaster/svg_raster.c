// The one wrapper around librsvg, cairo and libpng: SVG bytes in, PNG bytes out. In C because
// libpng reports errors by longjmp, which must not cross Swift frames.
#include "svg_raster.h"

#include <cairo.h>
#include <librsvg/rsvg.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned char *data;
    size_t size;
    size_t capacity;
    int failed;
} buffer_t;

static void buffer_write(png_structp png, png_bytep bytes, png_size_t count) {
    buffer_t *buffer = png_get_io_ptr(png);
    if (buffer->failed) return;
    if (buffer->size + count > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 1 << 16;
        while (capacity < buffer->size + count) capacity *= 2;
        unsigned char *grown = realloc(buffer->data, capacity);
        if (!grown) {
            buffer->failed = 1;
            png_error(png, "out of memory");
        }
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->size, bytes, count);
    buffer->size += count;
}

static void buffer_flush(png_structp png) { (void)png; }

static char *copy_message(const char *prefix, const char *detail) {
    size_t length = strlen(prefix) + (detail ? strlen(detail) + 2 : 0) + 1;
    char *message = malloc(length);
    if (message) snprintf(message, length, detail ? "%s: %s" : "%s", prefix, detail ? detail : "");
    return message;
}

static _Thread_local char png_failure[256];

static void png_failed(png_structp png, png_const_charp message) {
    snprintf(png_failure, sizeof png_failure, "%s", message ? message : "libpng error");
    png_longjmp(png, 1);
}

static void png_warned(png_structp png, png_const_charp message) { (void)png; (void)message; }

/// zlib's memory level for the PNG: 4 (a hash table of 2,048 entries where the default 8 has
/// 32,768). zlib slides its hash table every 32 KiB of input, which at the default level costs
/// more than the matching itself on an image of 11 MB; a smaller table halves that cost and,
/// on a cover of flat colours, finds matches as good.
enum { png_memory_level = 4 };

/// Whether every pixel of a row is opaque (its alpha byte 0xff).
static int row_is_opaque(const uint32_t *row, int width) {
    uint32_t all = 0xffffffffu;
    for (int x = 0; x < width; x++) all &= row[x];
    return (all >> 24) == 0xff;
}

/// A row of cairo's pixels (premultiplied ARGB, each a native 32-bit word) as PNG's RGB, or
/// RGBA with the alpha divided out as cairo's own PNG writer does.
static void convert_row(const uint32_t *row, int width, int opaque, unsigned char *target) {
    if (opaque) {
        for (int x = 0; x < width; x++, target += 3) {
            uint32_t pixel = row[x];
            target[0] = (unsigned char)(pixel >> 16);
            target[1] = (unsigned char)(pixel >> 8);
            target[2] = (unsigned char)pixel;
        }
        return;
    }
    for (int x = 0; x < width; x++, target += 4) {
        uint32_t pixel = row[x];
        unsigned alpha = pixel >> 24, red = (pixel >> 16) & 0xff, green = (pixel >> 8) & 0xff, blue = pixel & 0xff;
        if (alpha == 0) {
            red = green = blue = 0;
        } else if (alpha != 0xff) {
            red = (red * 255 + alpha / 2) / alpha;
            green = (green * 255 + alpha / 2) / alpha;
            blue = (blue * 255 + alpha / 2) / alpha;
        }
        target[0] = (unsigned char)red;
        target[1] = (unsigned char)green;
        target[2] = (unsigned char)blue;
        target[3] = (unsigned char)alpha;
    }
}

/// Writes the surface's pixels as PNG: RGB when every pixel is opaque, else RGBA. A drawn
/// cover repeats most of its rows (its flat ground, a bar): a row equal to the one above is
/// found by memcmp and handed to libpng as the row already converted, so only distinct rows
/// are looked at pixel by pixel. No row filter (libpng's filters cost more per byte than
/// zlib's matching saves here: a row repeated is a match 3 or `width * 3 + 1` bytes back).
static int encode(cairo_surface_t *surface, int level, buffer_t *out, char **error) {
    int width = cairo_image_surface_get_width(surface), height = cairo_image_surface_get_height(surface);
    int stride = cairo_image_surface_get_stride(surface);
    const unsigned char *pixels = cairo_image_surface_get_data(surface);
    size_t row_bytes = (size_t)width * 4;
    unsigned char *volatile repeats = malloc((size_t)height);
    if (!repeats) {
        *error = copy_message("out of memory", NULL);
        return 1;
    }
    int opaque = 1;
    for (int y = 0; y < height; y++) {
        const unsigned char *row = pixels + (size_t)y * stride;
        repeats[y] = y > 0 && memcmp(row, row - stride, row_bytes) == 0;
        if (!repeats[y] && opaque) opaque = row_is_opaque((const uint32_t *)row, width);
    }
    unsigned char *volatile converted = NULL;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_failed, png_warned);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        png_destroy_write_struct(&png, &info);
        free(repeats);
        *error = copy_message("libpng could not start", NULL);
        return 1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(converted);
        free(repeats);
        *error = copy_message("libpng failed", png_failure);
        return 1;
    }
    png_set_write_fn(png, out, buffer_write, buffer_flush);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
                 opaque ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_compression_level(png, level);
    png_set_compression_mem_level(png, png_memory_level);
    png_write_info(png, info);
    converted = malloc((size_t)width * (opaque ? 3 : 4));
    if (!converted) png_error(png, "out of memory");
    for (int y = 0; y < height; y++) {
        if (!repeats[y]) convert_row((const uint32_t *)(pixels + (size_t)y * stride), width, opaque, converted);
        png_write_row(png, converted);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(converted);
    free(repeats);
    if (out->failed) {
        *error = copy_message("out of memory", NULL);
        return 1;
    }
    return 0;
}

int edition_svg_to_png(const char *svg, size_t size, int height, int level,
                       unsigned char **png, size_t *png_size, char **error) {
    *png = NULL;
    *png_size = 0;
    *error = NULL;
    if (height <= 0 || height > 20000) {
        *error = copy_message("the height is out of range", NULL);
        return 1;
    }
    GError *failure = NULL;
    RsvgHandle *handle = rsvg_handle_new_from_data((const guint8 *)svg, size, &failure);
    if (!handle) {
        *error = copy_message("librsvg could not read the SVG", failure ? failure->message : NULL);
        if (failure) g_error_free(failure);
        return 1;
    }
    // rsvg-convert's resolution, so that physical units (mm, pt) mean what they mean there.
    rsvg_handle_set_dpi(handle, 96.0);
    gdouble intrinsic_width = 0, intrinsic_height = 0;
    if (!rsvg_handle_get_intrinsic_size_in_pixels(handle, &intrinsic_width, &intrinsic_height)
        || intrinsic_width <= 0 || intrinsic_height <= 0) {
        gboolean has_width, has_height, has_viewbox;
        RsvgLength length_width, length_height;
        RsvgRectangle viewbox;
        rsvg_handle_get_intrinsic_dimensions(handle, &has_width, &length_width, &has_height, &length_height,
                                             &has_viewbox, &viewbox);
        if (has_viewbox && viewbox.width > 0 && viewbox.height > 0) {
            intrinsic_width = viewbox.width;
            intrinsic_height = viewbox.height;
        } else {
            g_object_unref(handle);
            *error = copy_message("the SVG has no size: give it width and height, or a viewBox", NULL);
            return 1;
        }
    }
    int width = (int)ceil(intrinsic_width * height / intrinsic_height - 1e-9);
    if (width <= 0 || width > 20000) {
        g_object_unref(handle);
        *error = copy_message("the SVG's proportions give a width out of range", NULL);
        return 1;
    }
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        g_object_unref(handle);
        *error = copy_message("cairo could not make the image", NULL);
        return 1;
    }
    cairo_t *cairo = cairo_create(surface);
    RsvgRectangle viewport = {0, 0, width, height};
    gboolean drawn = rsvg_handle_render_document(handle, cairo, &viewport, &failure);
    cairo_destroy(cairo);
    g_object_unref(handle);
    if (!drawn) {
        cairo_surface_destroy(surface);
        *error = copy_message("librsvg could not draw the SVG", failure ? failure->message : NULL);
        if (failure) g_error_free(failure);
        return 1;
    }
    cairo_surface_flush(surface);
    buffer_t out = {NULL, 0, 0, 0};
    int status = encode(surface, level, &out, error);
    cairo_surface_destroy(surface);
    if (status != 0) {
        free(out.data);
        return status;
    }
    *png = out.data;
    *png_size = out.size;
    return 0;
}
