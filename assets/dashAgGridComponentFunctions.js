// Cell renderers for dash-ag-grid. Link: a plain anchor (cheaper than the markdown renderer);
// the row's hrefField column holds the address, the cell value is the link text.
var dagcomponentfuncs = (window.dashAgGridComponentFunctions =
    window.dashAgGridComponentFunctions || {});

dagcomponentfuncs.Link = function (props) {
    var href = props.data ? props.data[props.hrefField] : null;
    if (!href) {
        return props.value;
    }
    return React.createElement("a", { href: href, className: "grid-link" }, props.value);
};
