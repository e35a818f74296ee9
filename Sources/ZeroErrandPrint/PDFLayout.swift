import CPangoCairo

/// Typographic constants derived from the page size. A4 is the reference;
/// smaller pages (cards) get proportionally smaller type, with a floor so
/// text stays printable.
struct PageStyle {
    let page: PageSize
    let scale: Double
    let margin: Double

    init(page: PageSize) {
        self.page = page
        scale = min(1, max(0.55, page.width / PageSize.a4.width))
        let mm = PageSize.pointsPerMillimetre
        margin = min(20 * mm, max(4 * mm, min(page.width, page.height) * 0.096))
    }

    var contentWidth: Double { page.width - 2 * margin }
    var contentTop: Double { margin }
    var contentBottom: Double { page.height - margin }
    var titleSize: Double { 18 * scale }
    var headingSize: Double { 13 * scale }
    var textSize: Double { 10.5 * scale }
    var monoSize: Double { 9.5 * scale }
    var captionSize: Double { 9 * scale }
    var footerSize: Double { 8 * scale }
    var blockGap: Double { textSize * 0.8 }

    static let sansFamilies = "WenQuanYi Micro Hei,Noto Sans CJK SC,sans-serif"
    static let monoFamilies = "WenQuanYi Micro Hei Mono,Noto Sans Mono CJK SC,monospace"
}

/// One visual line of a pango layout, in layout coordinates (points).
struct LineBox {
    let top: Double, bottom: Double, baseline: Double, x: Double
}

/// Something positioned on a page. Text keeps a reference to its layout
/// plus the line range, so a paragraph can be split across pages without
/// re-shaping and without emitting hidden text.
enum Placed {
    case lines(layout: OpaquePointer, range: Range<Int>, x: Double, y: Double)
    case qr(QRCode, x: Double, y: Double, side: Double)
    /// A decoded image surface drawn into the box.
    case image(OpaquePointer, x: Double, y: Double, width: Double, height: Double)
    /// A round seal: one layout per character of the name, set around the upper arc.
    case seal([OpaquePointer], x: Double, y: Double, diameter: Double)
}

/// Shapes blocks with pango and paginates them. Owns every pango object it
/// creates; they are released in `deinit`, after drawing is done.
final class Typesetter {
    private let context: OpaquePointer
    let style: PageStyle
    private var owned: [OpaquePointer] = []
    private var ownedSurfaces: [OpaquePointer] = []
    private(set) var pages: [[Placed]] = [[]]
    private var y: Double

    init(context: OpaquePointer, style: PageStyle) {
        self.context = context
        self.style = style
        y = style.contentTop
    }

    deinit {
        owned.forEach { g_object_unref(UnsafeMutableRawPointer($0)) }
        ownedSurfaces.forEach { cairo_surface_destroy($0) }
    }

    private var atPageTop: Bool { y <= style.contentTop }
    private var remaining: Double { style.contentBottom - y }

    func newPage() {
        pages.append([])
        y = style.contentTop
    }

    func layout(_ text: String, size: Double, bold: Bool = false, mono: Bool = false,
                width: Double? = nil, centered: Bool = false, spacing: Double = 1) -> OpaquePointer {
        let layout = pango_layout_new(context)!
        owned.append(layout)
        let font = pango_font_description_new()
        defer { pango_font_description_free(font) }
        pango_font_description_set_family(font, mono ? PageStyle.monoFamilies : PageStyle.sansFamilies)
        // Absolute size is in device units, i.e. PDF points, so the result
        // does not depend on pango's default 96 dpi context resolution.
        pango_font_description_set_absolute_size(font, size * Double(PANGO_SCALE))
        if bold { pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD) }
        pango_layout_set_font_description(layout, font)
        if let width {
            pango_layout_set_width(layout, Int32(width * Double(PANGO_SCALE)))
            // WORD_CHAR: prefer word boundaries, but break long tokens (URLs,
            // IDs) and CJK runs anywhere rather than overflow the margin.
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        }
        if centered { pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER) }
        // Mixed CJK/Latin body text reads cramped at the font's natural leading.
        if spacing != 1 { pango_layout_set_line_spacing(layout, Float(spacing)) }
        pango_layout_set_text(layout, text, -1)
        return layout
    }

    static func lines(of layout: OpaquePointer) -> [LineBox] {
        let scale = Double(PANGO_SCALE)
        var boxes: [LineBox] = []
        let iter = pango_layout_get_iter(layout)
        defer { pango_layout_iter_free(iter) }
        repeat {
            var y0: Int32 = 0, y1: Int32 = 0
            var logical = PangoRectangle()
            pango_layout_iter_get_line_yrange(iter, &y0, &y1)
            pango_layout_iter_get_line_extents(iter, nil, &logical)
            boxes.append(LineBox(top: Double(y0) / scale, bottom: Double(y1) / scale,
                                 baseline: Double(pango_layout_iter_get_baseline(iter)) / scale,
                                 x: Double(logical.x) / scale))
        } while pango_layout_iter_next_line(iter) != 0
        return boxes
    }

    static func height(of layout: OpaquePointer) -> Double {
        var w: Int32 = 0, h: Int32 = 0
        pango_layout_get_size(layout, &w, &h)
        return Double(h) / Double(PANGO_SCALE)
    }

    static func width(of layout: OpaquePointer) -> Double {
        var w: Int32 = 0, h: Int32 = 0
        pango_layout_get_size(layout, &w, &h)
        return Double(w) / Double(PANGO_SCALE)
    }

    /// Reserves `height` on the current page, breaking first if it does not
    /// fit. An item taller than a whole page is placed anyway (and clipped by
    /// the page) instead of looping forever.
    private func reserve(_ height: Double) -> Double {
        if height > remaining && !atPageTop { newPage() }
        let top = y
        y += height
        return top
    }

    /// Places a layout line by line, continuing on the next page when lines
    /// run out of room.
    private func flow(_ layout: OpaquePointer, x: Double) {
        let lines = Self.lines(of: layout)
        var i = 0
        while i < lines.count {
            var j = i
            while j < lines.count, lines[j].bottom - lines[i].top <= remaining { j += 1 }
            if j == i {
                if !atPageTop { newPage(); continue }
                j = i + 1
            }
            pages[pages.count - 1].append(.lines(layout: layout, range: i..<j, x: x, y: y - lines[i].top))
            y += lines[j - 1].bottom - lines[i].top
            i = j
            if i < lines.count { newPage() }
        }
    }

    /// Places a layout as one unit (headings, field rows, captions).
    private func keep(_ layouts: [(OpaquePointer, x: Double, dy: Double)], height: Double) {
        let top = reserve(height)
        for (layout, x, dy) in layouts {
            pages[pages.count - 1].append(.lines(layout: layout, range: 0..<Self.lines(of: layout).count,
                                                 x: x, y: top + dy))
        }
    }

    func add(_ block: PrintedDocument.Block) {
        let s = style, left = s.margin, width = s.contentWidth
        switch block {
        case .title(let text), .heading(let text):
            let isTitle = if case .title = block { true } else { false }
            let l = layout(text, size: isTitle ? s.titleSize : s.headingSize, bold: true, width: width)
            let h = Self.height(of: l)
            // Keep with next: don't strand a heading at the bottom of a page.
            if h + 3 * s.textSize * 1.4 > remaining && !atPageTop { newPage() }
            keep([(l, left, 0)], height: h)
            y += isTitle ? s.blockGap * 1.2 : s.blockGap * 0.6
        case .paragraph(let text):
            flow(layout(text, size: s.textSize, width: width, spacing: 1.35), x: left)
            y += s.blockGap
        case .monospace(let text):
            flow(layout(text, size: s.monoSize, mono: true, width: width), x: left)
            y += s.blockGap
        case .fields(let rows):
            addFields(rows, x: left, width: width)
            y += s.blockGap
        case .qr(let code, let caption):
            let mm = PageSize.pointsPerMillimetre
            let side = min(width * 0.45, (s.contentBottom - s.contentTop) * 0.7, 50 * mm)
            let gap = s.captionSize * 0.3
            let captionLayout = caption.map { layout($0, size: s.captionSize, width: width, centered: true) }
            let captionHeight = captionLayout.map { Self.height(of: $0) + gap } ?? 0
            let top = reserve(side + captionHeight)
            pages[pages.count - 1].append(.qr(code, x: left + (width - side) / 2, y: top, side: side))
            if let captionLayout {
                let count = Self.lines(of: captionLayout).count
                pages[pages.count - 1].append(.lines(layout: captionLayout, range: 0..<count,
                                                     x: left, y: top + side + gap))
            }
            y += s.blockGap
        case .fieldsBesideQR(let rows, let code):
            // The code takes 40% of the width; the rows wrap beside it. A code squeezed into what is
            // left of a page comes out too small to scan, so the block starts a new page instead.
            let gap = s.textSize
            if width * 0.4 > remaining && !atPageTop { newPage() }
            let side = max(0, min(width * 0.4, remaining))
            let top = y
            pages[pages.count - 1].append(.qr(code, x: left + width - side, y: top, side: side))
            addFields(rows, x: left, width: width - side - gap)
            y = max(y, top + side) + s.blockGap
        case .attestation(let rows, let seal):
            let mm = PageSize.pointsPerMillimetre
            let diameter = min(40 * mm, width * 0.4)
            if diameter > remaining && !atPageTop { newPage() }
            let top = y
            let glyphs = seal.map { layout(String($0), size: diameter * 0.12, bold: true) }
            pages[pages.count - 1].append(.seal(glyphs, x: left + width - diameter, y: top, diameter: diameter))
            addFields(rows, x: left, width: width - diameter - s.textSize)
            y = max(y, top + diameter) + s.blockGap
        case .signature(let image, let label):
            let mm = PageSize.pointsPerMillimetre
            let scale = min(60 * mm / Double(image.width), 25 * mm / Double(image.height))
            let w = Double(image.width) * scale, h = Double(image.height) * scale
            let labelLayout = layout(label, size: s.textSize, bold: true, width: width)
            let labelHeight = Self.height(of: labelLayout)
            let top = reserve(labelHeight + h)
            pages[pages.count - 1].append(.lines(layout: labelLayout, range: 0..<Self.lines(of: labelLayout).count, x: left, y: top))
            if let surface = PNGImage.decode(image.bytes) {
                ownedSurfaces.append(surface)
                pages[pages.count - 1].append(.image(surface, x: left, y: top + labelHeight, width: w, height: h))
            }
            y += s.blockGap
        case .spacer(let points):
            // Space at the end of a page is simply dropped, not carried over.
            y = min(y + max(points, 0), s.contentBottom)
        case .pageBreak:
            if !atPageTop { newPage() }
        }
    }

    private func addFields(_ rows: [(label: String, value: String)], x: Double, width: Double) {
        let s = style
        let gutter = s.textSize
        let natural = rows.map { Self.width(of: layout($0.label, size: s.textSize, bold: true)) }.max() ?? 0
        let labelWidth = max(1, min(natural, width * 0.35))
        let valueX = x + labelWidth + gutter
        let valueWidth = max(1, width - labelWidth - gutter)
        for row in rows {
            let label = layout(row.label, size: s.textSize, bold: true, width: labelWidth, spacing: 1.2)
            let value = layout(row.value, size: s.textSize, width: valueWidth, spacing: 1.2)
            let height = max(Self.height(of: label), Self.height(of: value))
            keep([(label, x, 0), (value, valueX, 0)], height: height)
            y += s.textSize * 0.35
        }
    }
}
