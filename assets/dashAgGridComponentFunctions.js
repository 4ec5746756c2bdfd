// Cell renderers for dash-ag-grid. Link: an anchor (cheaper than the markdown renderer); the
// row's hrefField column holds the address, the cell value is the link text.
var dagcomponentfuncs = (window.dashAgGridComponentFunctions =
    window.dashAgGridComponentFunctions || {});

// A plain click moves within the app the way dcc.Link does (no reload of the whole app);
// a click with a modifier key or another button keeps the browser's own behaviour.
function navigateInApp(event) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        return;
    }
    event.preventDefault();
    window.history.pushState({}, "", event.currentTarget.getAttribute("href"));
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
}

dagcomponentfuncs.Link = function (props) {
    var href = props.data ? props.data[props.hrefField] : null;
    if (!href) {
        return props.value;
    }
    return React.createElement(
        "a",
        { href: href, className: "grid-link", onClick: navigateInApp },
        props.value
    );
};
