#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/tree.h>

/// xmlFree is a mutable C global; Swift 6 strict concurrency rejects touching it directly.
static inline void edition_xml_free(void *pointer) { xmlFree(pointer); }
