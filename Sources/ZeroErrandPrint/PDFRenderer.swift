import CPangoCairo
import Foundation

/// Renders a `PrintedDocument` to PDF bytes with cairo + pango.
///
/// Thread safety: every call builds its own cairo surface, its own
/// `PangoCairoFontMap` (via `pango_cairo_font_map_new`) and its own
/// `PangoContext`, and frees them before returning. Pango objects are not
/// thread-safe, but nothing pango-side is shared between calls; the shared
/// layers underneath (fontconfig, cairo's font/glyph caches, FreeType faces
/// through cairo-ft) do their own locking. We deliberately avoid
/// `pango_cairo_font_map_get_default()`: it is per-thread and never freed,
/// which on Swift's long-lived cooperative threads means one cached map per
/// worker thread and an implicit dependency on which thread we run on.
public enum PDFRenderer {
    public static func render(_ doc: PrintedDocument, creationDate: Date) throws(PrintError) -> [UInt8] {
        let sink = ByteSink()
        try sink.withContext { (context) throws(PrintError) in
            try render(doc, creationDate: creationDate, into: context)
        }
        return sink.bytes
    }

    private static func render(_ doc: PrintedDocument, creationDate: Date,
                               into sinkContext: UnsafeMutableRawPointer) throws(PrintError) {
        let style = PageStyle(page: doc.pageSize)
        guard doc.pageSize.width > 1, doc.pageSize.height > 1 else { throw .pdfFailed("invalid page size") }
        guard let surface = cairo_pdf_surface_create_for_stream(
            writeToByteSink, sinkContext, doc.pageSize.width, doc.pageSize.height)
        else { throw .pdfFailed("cannot create PDF surface") }
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface), "PDF surface")

        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, doc.title)
        if !doc.author.isEmpty { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, doc.author) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "ZeroErrandPrint")
        // Always set both dates explicitly: otherwise cairo stamps the wall
        // clock and identical input would give different bytes.
        let stamp = creationDate.formatted(.iso8601)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, stamp)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, stamp)

        guard let cr = cairo_create(surface) else { throw .pdfFailed("cannot create cairo context") }
        defer { cairo_destroy(cr) }
        guard let fontMap = pango_cairo_font_map_new() else { throw .pdfFailed("cannot create font map") }
        defer { g_object_unref(UnsafeMutableRawPointer(fontMap)) }
        guard let pango = pango_font_map_create_context(fontMap) else { throw .pdfFailed("cannot create pango context") }
        defer { g_object_unref(UnsafeMutableRawPointer(pango)) }
        // Shape for the PDF surface's font options so measured widths match
        // what is drawn.
        pango_cairo_update_context(cr, pango)

        // Paginate first so the footer can say "n / m" in a single pass.
        let typesetter = Typesetter(context: pango, style: style)
        for block in doc.blocks { typesetter.add(block) }
        let pages = typesetter.pages

        for (index, items) in pages.enumerated() {
            cairo_set_source_rgb(cr, 0, 0, 0)
            for item in items { draw(item, cr) }
            // "1 / 1" says nothing, and on a card it takes room the content needs.
            if pages.count > 1 { drawFooter("\(index + 1) / \(pages.count)", typesetter: typesetter, cr: cr) }
            cairo_show_page(cr)
        }
        try check(cairo_status(cr), "drawing")
        cairo_surface_finish(surface)
        try check(cairo_surface_status(surface), "writing PDF")
    }

    private static func draw(_ item: Placed, _ cr: OpaquePointer) {
        switch item {
        case .lines(let layout, let range, let x, let y):
            let boxes = Typesetter.lines(of: layout)
            for i in range where i < boxes.count {
                guard let line = pango_layout_get_line_readonly(layout, Int32(i)) else { continue }
                // show_layout_line draws at the baseline of the current point.
                cairo_move_to(cr, x + boxes[i].x, y + boxes[i].baseline)
                pango_cairo_show_layout_line(cr, line)
            }
        case .qr(let code, let x, let y, let side):
            let module = side / Double(code.size + 8)
            let origin = (x: x + 4 * module, y: y + 4 * module)
            cairo_save(cr)
            cairo_set_source_rgb(cr, 1, 1, 1)
            cairo_rectangle(cr, x, y, side, side)
            cairo_fill(cr)
            cairo_set_source_rgb(cr, 0, 0, 0)
            // One path, one fill: same-orientation rectangles under the
            // nonzero rule form a union, so viewers show no seams.
            cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING)
            for run in code.darkRuns() {
                cairo_rectangle(cr, origin.x + Double(run.x) * module, origin.y + Double(run.y) * module,
                                Double(run.length) * module, module)
            }
            cairo_fill(cr)
            cairo_restore(cr)
        case .image(let surface, let x, let y, let width, let height):
            cairo_save(cr)
            cairo_translate(cr, x, y)
            cairo_scale(cr, width / Double(cairo_image_surface_get_width(surface)),
                        height / Double(cairo_image_surface_get_height(surface)))
            cairo_set_source_surface(cr, surface, 0, 0)
            cairo_paint(cr)
            cairo_restore(cr)
        case .seal(let glyphs, let x, let y, let diameter):
            drawSeal(glyphs, x: x, y: y, diameter: diameter, cr)
        }
    }

    /// Seal red: a ring, a five-pointed star, and the name around the upper arc (from 120° left
    /// of the top to 120° right), each character upright towards the centre.
    private static func drawSeal(_ glyphs: [OpaquePointer], x: Double, y: Double, diameter: Double, _ cr: OpaquePointer) {
        let radius = diameter / 2, ring = diameter * 0.035
        let centre = (x: x + radius, y: y + radius)
        cairo_save(cr)
        cairo_set_source_rgb(cr, 0.82, 0.1, 0.1)
        cairo_set_line_width(cr, ring)
        // The text drawn before leaves a current point; an arc would join it with a straight line.
        cairo_new_path(cr)
        cairo_arc(cr, centre.x, centre.y, radius - ring / 2, 0, 2 * Double.pi)
        cairo_stroke(cr)
        let outer = diameter * 0.17, inner = outer * 0.382
        for point in 0..<10 {
            let angle = -Double.pi / 2 + Double(point) * Double.pi / 5
            let r = point.isMultiple(of: 2) ? outer : inner
            let px = centre.x + r * cos(angle), py = centre.y + r * sin(angle)
            if point == 0 { cairo_move_to(cr, px, py) } else { cairo_line_to(cr, px, py) }
        }
        cairo_close_path(cr)
        cairo_fill(cr)
        let span = 240.0 * Double.pi / 180
        let step = glyphs.count > 1 ? min(span / Double(glyphs.count - 1), 28 * Double.pi / 180) : 0
        let first = -step * Double(glyphs.count - 1) / 2
        for (index, glyph) in glyphs.enumerated() {
            let width = Typesetter.width(of: glyph)
            cairo_save(cr)
            cairo_translate(cr, centre.x, centre.y)
            cairo_rotate(cr, first + Double(index) * step)
            cairo_move_to(cr, -width / 2, -radius + ring * 2)
            pango_cairo_show_layout(cr, glyph)
            cairo_restore(cr)
        }
        cairo_restore(cr)
    }

    private static func drawFooter(_ text: String, typesetter: Typesetter, cr: OpaquePointer) {
        let style = typesetter.style
        let layout = typesetter.layout(text, size: style.footerSize, width: style.contentWidth, centered: true)
        let height = Typesetter.height(of: layout)
        let y = style.page.height - style.margin / 2 - height / 2
        cairo_save(cr)
        cairo_set_source_rgb(cr, 0.4, 0.4, 0.4)
        draw(.lines(layout: layout, range: 0..<1, x: style.margin, y: y), cr)
        cairo_restore(cr)
    }
}
