/// The operations of a live widget's display list: what a frame draws and which controls it offers.
///
/// A display list is a flat array of `Double`s and a byte buffer of UTF-8 text. Each operation
/// starts with its code, and its arguments follow in the order listed here; text is referred to
/// by an offset and a length in the byte buffer. The theme's `live.js` paints the same list on a
/// canvas, and the build draws it as SVG: both read these codes, so a change here changes
/// `LiveDisplayList.version` and both painters.
public enum LiveOp: Int, Sendable {
    /// `version, animating, controls, plots`: the first operation of every frame.
    case frame = 0
    /// `plot, size, xMin, xMax, yMin, yMax, xLog, yLog, title, titleLength, xLabel, xLabelLength, yLabel, yLabelLength`.
    case plot = 1
    /// `plot, value, text, textLength`: a labelled tick on the x axis.
    case xTick = 2
    /// `plot, value, text, textLength`: a labelled tick on the y axis.
    case yTick = 3
    /// `plot, color, width, x1, y1, x2, y2`: a segment in the plot's coordinates.
    case line = 4
    /// `plot, color, width, count, x0, y0, x1, y1, …`: a connected line.
    case polyline = 5
    /// `plot, color, radius, x, y`: a dot of `radius` pixels.
    case point = 6
    /// `plot, color, x, y, anchor, text, textLength`: text at a point (anchor 0 start, 1 middle, 2 end).
    case text = 7
    /// `plot, low, high, columns, rows, v…`: the plot's area shaded in a grid, each value in 0…1
    /// mixing colour `low` into `high`, rows from the bottom up.
    case shade = 8
    /// `plot, control, color, count, x0, y0, …`: points the reader can add, drag and delete.
    case editablePoints = 9
    /// `control, kind, label, labelLength, value, min, max, step, optionCount, (option, optionLength)…`.
    case control = 10
    /// `label, labelLength, text, textLength`: a named value shown beside the widget.
    case readout = 11
}

/// The kinds of controls a widget can offer.
public enum LiveControlKind: Int, Sendable {
    case slider = 0
    case logSlider = 1
    case button = 2
    case toggle = 3
    case playPause = 4
    case choice = 5
    /// Points on a plot, changed by pointer or keyboard (see `LiveOp.editablePoints`).
    case points = 6
}

/// The colours a widget may draw with; the theme maps each to a colour for light and dark mode.
public enum LiveColor: Int, Sendable {
    case ink = 0
    case muted = 1
    case accent = 2
    case data = 3
    case fit = 4
    case warning = 5
    case positive = 6
    case negative = 7
}

/// Where text sits relative to its point.
public enum LiveAnchor: Int, Sendable {
    case start = 0
    case middle = 1
    case end = 2
}

/// The size of a plot in the widget's layout.
public enum LivePlotSize: Int, Sendable {
    /// The widget's main picture: as wide as the column allows, 3:2.
    case large = 0
    /// A small companion plot, beside the large one on wide screens and below it on phones.
    case small = 1
}

/// How an axis or a slider maps values.
public enum LiveScale: Sendable {
    case linear
    case logarithmic
}
