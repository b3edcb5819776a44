// The one wrapper around librsvg, cairo and libpng: SVG bytes in, PNG bytes out. In C because
// libpng reports errors by longjmp, which must not cross Swift frames.
//
// librsvg and cairo are opened on the first drawing (dlopen), not linked: with the thirty-odd
// libraries they bring (glib, gio, pango, fontconfig, freetype, harfbuzz, X11...), the dynamic
// loader spent about 6 ms of CPU mapping and binding them at every start of the tool, and most
// runs never draw (an incremental build reuses its cover; check, serve and watch's later
// builds do not draw at all). libpng, small, stays linked.
#include "svg_raster.h"

#include <dlfcn.h>
#include <math.h>
#include <png.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

// What this file uses of librsvg's, cairo's and GLib's interfaces, declared as their headers
// declare them (librsvg 2.52+, cairo 1.x, GLib 2.x: stable ABIs), so that the wrapper does not
// need their headers, whose packages (and pkg-config's link flags) would link them again.
typedef struct _cairo_surface cairo_surface_t;
typedef struct _cairo cairo_t;
typedef struct _RsvgHandle RsvgHandle;
typedef int gboolean;
typedef struct { uint32_t domain; int code; char *message; } GError;
typedef struct { double x, y, width, height; } RsvgRectangle;
typedef struct { double length; int unit; } RsvgLength;
enum { CAIRO_FORMAT_ARGB32 = 0, CAIRO_STATUS_SUCCESS = 0 };

static struct {
    RsvgHandle *(*rsvg_handle_new_from_data)(const uint8_t *data, size_t size, GError **error);
    void (*rsvg_handle_set_dpi)(RsvgHandle *handle, double dpi);
    gboolean (*rsvg_handle_get_intrinsic_size_in_pixels)(RsvgHandle *handle, double *width, double *height);
    void (*rsvg_handle_get_intrinsic_dimensions)(RsvgHandle *handle, gboolean *has_width, RsvgLength *width,
                                                 gboolean *has_height, RsvgLength *height,
                                                 gboolean *has_viewbox, RsvgRectangle *viewbox);
    gboolean (*rsvg_handle_render_document)(RsvgHandle *handle, cairo_t *cairo, const RsvgRectangle *viewport,
                                            GError **error);
    void (*g_object_unref)(void *object);
    void (*g_error_free)(GError *error);
    cairo_surface_t *(*cairo_image_surface_create)(int format, int width, int height);
    cairo_surface_t *(*cairo_image_surface_create_for_data)(unsigned char *data, int format, int width, int height,
                                                            int stride);
    int (*cairo_format_stride_for_width)(int format, int width);
    int (*cairo_surface_status)(cairo_surface_t *surface);
    void (*cairo_surface_flush)(cairo_surface_t *surface);
    void (*cairo_surface_destroy)(cairo_surface_t *surface);
    int (*cairo_image_surface_get_width)(cairo_surface_t *surface);
    int (*cairo_image_surface_get_height)(cairo_surface_t *surface);
    int (*cairo_image_surface_get_stride)(cairo_surface_t *surface);
    unsigned char *(*cairo_image_surface_get_data)(cairo_surface_t *surface);
    cairo_t *(*cairo_create)(cairo_surface_t *surface);
    void (*cairo_destroy)(cairo_t *cairo);
} lib;

/// Why librsvg could not be opened; empty when it was.
static char load_failure[512];
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

/// Opens librsvg (which brings cairo and GLib) and looks up every function `lib` lists; on
/// failure says why in `load_failure`. Run once, whichever thread draws first.
static void load_library(void) {
    static const char *const name = "librsvg-2.so.2";
    void *handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *reason = dlerror();
        snprintf(load_failure, sizeof load_failure, "cannot open %s (Debian package librsvg2-2): %s", name,
                 reason ? reason : "unknown error");
        return;
    }
    // dlsym through librsvg's handle also finds the functions of the libraries it depends on.
#define LOOK_UP(function)                                                                        \
    do {                                                                                         \
        *(void **)&lib.function = dlsym(handle, #function);                                     \
        if (!lib.function) {                                                                     \
            snprintf(load_failure, sizeof load_failure, "%s has no %s (librsvg 2.52 or later is needed)", \
                     name, #function);                                                           \
            return;                                                                              \
        }                                                                                        \
    } while (0)
    LOOK_UP(rsvg_handle_new_from_data);
    LOOK_UP(rsvg_handle_set_dpi);
    LOOK_UP(rsvg_handle_get_intrinsic_size_in_pixels);
    LOOK_UP(rsvg_handle_get_intrinsic_dimensions);
    LOOK_UP(rsvg_handle_render_document);
    LOOK_UP(g_object_unref);
    LOOK_UP(g_error_free);
    LOOK_UP(cairo_image_surface_create);
    LOOK_UP(cairo_image_surface_create_for_data);
    LOOK_UP(cairo_format_stride_for_width);
    LOOK_UP(cairo_surface_status);
    LOOK_UP(cairo_surface_flush);
    LOOK_UP(cairo_surface_destroy);
    LOOK_UP(cairo_image_surface_get_width);
    LOOK_UP(cairo_image_surface_get_height);
    LOOK_UP(cairo_image_surface_get_stride);
    LOOK_UP(cairo_image_surface_get_data);
    LOOK_UP(cairo_create);
    LOOK_UP(cairo_destroy);
#undef LOOK_UP
}

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
    int width = lib.cairo_image_surface_get_width(surface), height = lib.cairo_image_surface_get_height(surface);
    int stride = lib.cairo_image_surface_get_stride(surface);
    const unsigned char *pixels = lib.cairo_image_surface_get_data(surface);
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

/// The pixels cairo draws into, when this file mapped them (else cairo's own buffer).
typedef struct {
    void *data;
    size_t size;
} pixels_t;

/// An image surface whose pixels (15 MB for a 1600 × 2400 cover) are mapped here with
/// transparent huge pages asked for (madvise; the kernel may decline): about 3,600 page faults
/// fewer than in cairo's own buffer, some 7 ms of a 60 ms drawing. Zeroed like cairo's.
static cairo_surface_t *create_surface(int width, int height, pixels_t *pixels) {
    pixels->data = NULL;
    pixels->size = 0;
    int stride = lib.cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, width);
    if (stride > 0) {
        size_t size = (size_t)stride * (size_t)height;
        void *mapped = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mapped != MAP_FAILED) {
            madvise(mapped, size, MADV_HUGEPAGE);
            pixels->data = mapped;
            pixels->size = size;
            return lib.cairo_image_surface_create_for_data(mapped, CAIRO_FORMAT_ARGB32, width, height, stride);
        }
    }
    return lib.cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
}

static void destroy_surface(cairo_surface_t *surface, pixels_t *pixels) {
    lib.cairo_surface_destroy(surface);
    if (pixels->data) munmap(pixels->data, pixels->size);
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
    pthread_once(&load_once, load_library);
    if (load_failure[0]) {
        *error = copy_message(load_failure, NULL);
        return 1;
    }
    GError *failure = NULL;
    RsvgHandle *handle = lib.rsvg_handle_new_from_data((const uint8_t *)svg, size, &failure);
    if (!handle) {
        *error = copy_message("librsvg could not read the SVG", failure ? failure->message : NULL);
        if (failure) lib.g_error_free(failure);
        return 1;
    }
    // rsvg-convert's resolution, so that physical units (mm, pt) mean what they mean there.
    lib.rsvg_handle_set_dpi(handle, 96.0);
    double intrinsic_width = 0, intrinsic_height = 0;
    if (!lib.rsvg_handle_get_intrinsic_size_in_pixels(handle, &intrinsic_width, &intrinsic_height)
        || intrinsic_width <= 0 || intrinsic_height <= 0) {
        gboolean has_width, has_height, has_viewbox;
        RsvgLength length_width, length_height;
        RsvgRectangle viewbox;
        lib.rsvg_handle_get_intrinsic_dimensions(handle, &has_width, &length_width, &has_height, &length_height,
                                             &has_viewbox, &viewbox);
        if (has_viewbox && viewbox.width > 0 && viewbox.height > 0) {
            intrinsic_width = viewbox.width;
            intrinsic_height = viewbox.height;
        } else {
            lib.g_object_unref(handle);
            *error = copy_message("the SVG has no size: give it width and height, or a viewBox", NULL);
            return 1;
        }
    }
    int width = (int)ceil(intrinsic_width * height / intrinsic_height - 1e-9);
    if (width <= 0 || width > 20000) {
        lib.g_object_unref(handle);
        *error = copy_message("the SVG's proportions give a width out of range", NULL);
        return 1;
    }
    pixels_t pixels;
    cairo_surface_t *surface = create_surface(width, height, &pixels);
    if (lib.cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        destroy_surface(surface, &pixels);
        lib.g_object_unref(handle);
        *error = copy_message("cairo could not make the image", NULL);
        return 1;
    }
    cairo_t *cairo = lib.cairo_create(surface);
    RsvgRectangle viewport = {0, 0, width, height};
    gboolean drawn = lib.rsvg_handle_render_document(handle, cairo, &viewport, &failure);
    lib.cairo_destroy(cairo);
    lib.g_object_unref(handle);
    if (!drawn) {
        destroy_surface(surface, &pixels);
        *error = copy_message("librsvg could not draw the SVG", failure ? failure->message : NULL);
        if (failure) lib.g_error_free(failure);
        return 1;
    }
    lib.cairo_surface_flush(surface);
    buffer_t out = {NULL, 0, 0, 0};
    int status = encode(surface, level, &out, error);
    destroy_surface(surface, &pixels);
    if (status != 0) {
        free(out.data);
        return status;
    }
    *png = out.data;
    *png_size = out.size;
    return 0;
}
