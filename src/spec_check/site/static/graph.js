/* spec-check site: the interactive dependency graph (Cytoscape.js with the dagre layered layout).
   The data (nodes, edges, cycle and critical-path flags) is computed by spec-check and embedded
   as JSON; labels are drawn on the canvas as text. Clicking a node opens it on the spec page. */
(function () {
  "use strict";
  var holder = document.getElementById("graph");
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  if (window.cytoscapeDagre) { cytoscape.use(window.cytoscapeDagre); }
  var elements = [];
  data.nodes.forEach(function (n) {
    var classes = [n.kind];
    if (n.status === "done") { classes.push("done"); }
    if (n.cycle) { classes.push("cycle"); }
    if (n.critical) { classes.push("critical"); }
    var label = n.label.length > 48 ? n.label.slice(0, 47) + "…" : n.label;
    elements.push({ group: "nodes", data: { id: n.id, label: label, title: n.label }, classes: classes.join(" ") });
  });
  data.edges.forEach(function (e, i) {
    var classes = [];
    if (e.cycle) { classes.push("cycle"); }
    if (e.critical) { classes.push("critical"); }
    elements.push({ group: "edges", data: { id: "e" + i, source: e.source, target: e.target }, classes: classes.join(" ") });
  });
  var cy = cytoscape({
    container: holder,
    elements: elements,
    minZoom: 0.05,
    maxZoom: 1.5,
    style: [
      { selector: "node", style: {
        "shape": "round-rectangle", "label": "data(label)", "font-size": 11, "color": "#1b1f24",
        "text-valign": "center", "text-halign": "center", "text-wrap": "wrap", "text-max-width": 150,
        "width": 170, "height": 44, "background-color": "#dbe7f5", "border-width": 2, "border-color": "#0b57b5" } },
      { selector: "node.done", style: { "background-color": "#d9efdf", "border-color": "#146c2e" } },
      { selector: "node.phase", style: { "background-color": "#ece8f7", "border-color": "#3d2a7a", "font-weight": "bold" } },
      { selector: "node.critical", style: { "border-color": "#e07000", "border-width": 5 } },
      { selector: "node.cycle", style: { "background-color": "#fbeaea", "border-color": "#d0021b", "border-width": 5 } },
      { selector: "edge", style: { "width": 1.5, "line-color": "#8795a6", "target-arrow-color": "#8795a6",
        "target-arrow-shape": "triangle", "curve-style": "bezier" } },
      { selector: "edge.critical", style: { "width": 4, "line-color": "#e07000", "target-arrow-color": "#e07000" } },
      { selector: "edge.cycle", style: { "width": 4, "line-color": "#d0021b", "target-arrow-color": "#d0021b" } }
    ],
    layout: { name: window.cytoscapeDagre ? "dagre" : "breadthfirst", rankDir: "TB", nodeSep: 20, rankSep: 50,
              fit: true, padding: 20, animate: false }
  });
  cy.on("tap", "node", function (ev) {
    window.location.href = "index.html#" + encodeURIComponent(ev.target.id());
  });
  var fit = document.getElementById("graph-fit");
  if (fit) { fit.addEventListener("click", function () { cy.fit(undefined, 20); }); }
  window.specCheckGraph = cy;  // for the browser tests
  holder.setAttribute("data-ready", "true");
})();
