import Vapor

/// The office queue's rows, written in Swift rather than in `office/queue.leaf`: Leaf spent about
/// 40% of the queue page's time on them (each row's `#t` and `#if`, resolved per row; the profile
/// is in docs/performance.md). The labels are looked up once per page. The markup is the one the
/// template had, so the page reads the same to people, screen readers and tests.
struct QueueTable {
    /// What a row shows.
    struct Row {
        let path: String
        let number: String
        let matter: String
        let status: String
        let statusCode: String
        let due: String?
        let overdue: Bool
        let assignee: String?
    }

    private let numberLabel, matterLabel, statusLabel, dueLabel, assigneeLabel, overdueBadge, noDue, nobody: String

    init(_ request: Request) {
        numberLabel = request.t("case.number")
        matterLabel = request.t("matter.name")
        statusLabel = request.t("case.status")
        dueLabel = request.t("case.due")
        assigneeLabel = request.t("case.assignee")
        overdueBadge = request.t("case.overdue")
        noDue = request.t("case.no_due")
        nobody = request.t("case.nobody")
    }

    /// The `<thead>` and `<tbody>` of the queue's table.
    func html(_ rows: [Row]) -> String {
        var out = HTMLText()
        out.markup(#"<thead role="rowgroup"><tr role="row">"#)
        for label in [numberLabel, matterLabel, statusLabel, dueLabel, assigneeLabel] {
            out.markup(#"<th scope="col" role="columnheader">"#); out.text(label); out.markup("</th>")
        }
        out.markup(#"</tr></thead><tbody role="rowgroup">"#)
        for row in rows {
            out.markup(row.overdue ? #"<tr role="row" class="row-overdue">"# : #"<tr role="row">"#)
            out.markup(#"<th scope="row" role="rowheader" class="nowrap"><a class="code" href=""#)
            out.text(row.path); out.markup(#"">"#); out.text(row.number); out.markup("</a></th>")
            cell(&out, matterLabel) { $0.text(row.matter) }
            cell(&out, statusLabel) {
                $0.markup(#"<span class="status status-"#); $0.text(row.statusCode); $0.markup(#"">"#)
                $0.text(row.status); $0.markup("</span>")
            }
            cell(&out, dueLabel, nowrap: true) {
                if let due = row.due {
                    $0.text(due)
                    if row.overdue {
                        $0.markup(#" <strong class="badge badge-overdue">"#); $0.text(overdueBadge); $0.markup("</strong>")
                    }
                } else {
                    $0.markup(#"<span class="meta" aria-label=""#); $0.text(noDue); $0.markup(#"">–</span>"#)
                }
            }
            cell(&out, assigneeLabel) {
                if let assignee = row.assignee { $0.text(assignee) } else {
                    $0.markup(#"<span class="meta">"#); $0.text(nobody); $0.markup("</span>")
                }
            }
            out.markup("</tr>")
        }
        out.markup("</tbody>")
        return out.html
    }

    /// A cell labelled with its column's name, which the narrow layout shows beside the value.
    private func cell(_ out: inout HTMLText, _ label: String, nowrap: Bool = false, _ content: (inout HTMLText) -> Void) {
        out.markup(#"<td role="cell" data-label=""#); out.text(label)
        out.markup(nowrap ? #"" class="nowrap">"# : #"">"#)
        content(&out)
        out.markup("</td>")
    }
}
