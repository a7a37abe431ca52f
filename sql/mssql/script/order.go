package script

import (
	"container/heap"
	"sort"
	"strings"

	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
)

// The objects of a script are ordered by one dependency graph: tables,
// views, functions, procedures, triggers, synonyms and sequences, with an
// edge from each object to what must exist before it is created (from
// sys.sql_expression_dependencies, and from a trigger to its table or
// view). One topological order gives every phase of the script its order;
// see scripter.script for the phases.

type nodeKind int

const (
	tableNode nodeKind = iota
	moduleNode
	synonymNode
	sequenceNode
)

// node is one object of the graph.
type node struct {
	key     string // lower-case schema.name, the graph's key
	name    string // [schema].[name]
	kind    nodeKind
	table   *catalog.Table
	module  *catalog.Module
	synonym *catalog.Synonym
	// deps must exist before the object is created; checks before a
	// table's CHECK constraints are added, after its data.
	deps, checks []*node
	// users are the objects that depend on this one, by either kind of edge.
	users []*node
	// early marks the modules and synonyms that a table needs (in a
	// computed column, default or check), and what they need: they are
	// created with the tables, before the data.
	early bool
}

// graph is the objects of the script in creation order.
type graph struct {
	nodes  map[string]*node
	order  []*node
	cycles [][]*node // groups of objects that depend on each other
}

func nodeKey(schema, name string) string { return strings.ToLower(schema + "." + name) }

// buildGraph collects the selected objects and orders them.
func (s *scripter) buildGraph() *graph {
	g := &graph{nodes: map[string]*node{}}
	add := func(n *node) { g.nodes[n.key] = n }
	for _, t := range s.selectedTables() {
		add(&node{key: nodeKey(t.Schema, t.Name), name: qn(t.Schema, t.Name), kind: tableNode, table: t})
	}
	for i := range s.snap.Modules {
		m := &s.snap.Modules[i]
		if s.moduleSelected(*m) {
			add(&node{key: nodeKey(m.Schema, m.Name), name: qn(m.Schema, m.Name), kind: moduleNode, module: m})
		}
	}
	for i := range s.snap.Synonyms {
		sy := &s.snap.Synonyms[i]
		if s.selected(sy.Schema, sy.Name) {
			add(&node{key: nodeKey(sy.Schema, sy.Name), name: qn(sy.Schema, sy.Name), kind: synonymNode, synonym: sy})
		}
	}
	for _, sq := range s.snap.Sequences {
		if s.selected(sq.Schema, sq.Name) {
			add(&node{key: nodeKey(sq.Schema, sq.Name), name: qn(sq.Schema, sq.Name), kind: sequenceNode})
		}
	}
	link := func(from, to *node, check bool) {
		if from == to {
			return
		}
		if check {
			from.checks = append(from.checks, to)
		} else {
			from.deps = append(from.deps, to)
		}
		to.users = append(to.users, from)
	}
	for _, d := range s.snap.Dependencies {
		from, to := g.nodes[nodeKey(d.Schema, d.Name)], g.nodes[nodeKey(d.RefSchema, d.RefName)]
		if from != nil && to != nil {
			link(from, to, from.kind == tableNode && d.Via == "check")
		}
	}
	for _, n := range g.nodes {
		if m := n.module; m != nil && m.Kind == catalog.Trigger {
			if parent := g.nodes[nodeKey(m.ParentSchema, m.ParentTable)]; parent != nil {
				link(n, parent, false)
			}
		}
	}
	g.markEarly()
	g.sort()
	return g
}

// markEarly marks what the tables need and, in turn, what that needs.
func (g *graph) markEarly() {
	var mark func(n *node)
	mark = func(n *node) {
		if n.early || n.kind == tableNode {
			return
		}
		n.early = true
		for _, d := range n.deps {
			mark(d)
		}
	}
	for _, n := range g.nodes {
		if n.kind == tableNode {
			for _, d := range append(append([]*node{}, n.deps...), n.checks...) {
				mark(d)
			}
		}
	}
}

// sort orders the graph: every object after what it depends on, and among
// independent objects by name, so that scripts are reproducible. Objects
// that depend on each other (a strongly connected group, such as two
// procedures calling each other) cannot be ordered: each group is placed as
// one, its members in name order, and reported as a cycle.
func (g *graph) sort() {
	groups := g.components()
	groupOf := map[*node]int{}
	for i, grp := range groups {
		for _, n := range grp {
			groupOf[n] = i
		}
	}
	// waiting[i] counts the other groups group i depends on.
	waiting := make([]int, len(groups))
	dependents := make([][]int, len(groups))
	for i, grp := range groups {
		seen := map[int]bool{}
		for _, n := range grp {
			for _, d := range n.deps {
				if j := groupOf[d]; j != i && !seen[j] {
					seen[j] = true
					waiting[i]++
					dependents[j] = append(dependents[j], i)
				}
			}
		}
		if len(grp) > 1 {
			g.cycles = append(g.cycles, grp)
		}
	}
	ready := &groupHeap{groups: groups}
	for i := range groups {
		if waiting[i] == 0 {
			heap.Push(ready, i)
		}
	}
	for ready.Len() > 0 {
		i := heap.Pop(ready).(int)
		g.order = append(g.order, groups[i]...)
		for _, j := range dependents[i] {
			if waiting[j]--; waiting[j] == 0 {
				heap.Push(ready, j)
			}
		}
	}
	sort.Slice(g.cycles, func(a, b int) bool { return g.cycles[a][0].key < g.cycles[b][0].key })
}

// components returns the strongly connected groups of the dependency edges
// (Tarjan's algorithm), each sorted by key.
func (g *graph) components() [][]*node {
	keys := make([]string, 0, len(g.nodes))
	for k := range g.nodes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	index := map[*node]int{}
	low := map[*node]int{}
	onStack := map[*node]bool{}
	var stack []*node
	var groups [][]*node
	var visit func(n *node)
	visit = func(n *node) {
		index[n], low[n] = len(index), len(index)
		stack = append(stack, n)
		onStack[n] = true
		for _, d := range n.deps {
			if _, seen := index[d]; !seen {
				visit(d)
				low[n] = min(low[n], low[d])
			} else if onStack[d] {
				low[n] = min(low[n], index[d])
			}
		}
		if low[n] != index[n] {
			return
		}
		var grp []*node
		for {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[top] = false
			grp = append(grp, top)
			if top == n {
				break
			}
		}
		sort.Slice(grp, func(a, b int) bool { return grp[a].key < grp[b].key })
		groups = append(groups, grp)
	}
	for _, k := range keys {
		if _, seen := index[g.nodes[k]]; !seen {
			visit(g.nodes[k])
		}
	}
	return groups
}

// groupHeap orders ready groups by the key of their first member.
type groupHeap struct {
	groups [][]*node
	items  []int
}

func (h *groupHeap) Len() int { return len(h.items) }
func (h *groupHeap) Less(a, b int) bool {
	return h.groups[h.items[a]][0].key < h.groups[h.items[b]][0].key
}
func (h *groupHeap) Swap(a, b int) { h.items[a], h.items[b] = h.items[b], h.items[a] }
func (h *groupHeap) Push(x any)    { h.items = append(h.items, x.(int)) }
func (h *groupHeap) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}

// affected returns, in name order, every object that depends on n directly
// or through others: what fails in cascade when n cannot be created.
func (g *graph) affected(n *node) []string { return g.affectedExcept(n, -1) }

// affectedExcept is affected without n's direct users of kind spared, which
// keep working without n, nor what depends only on them.
func (g *graph) affectedExcept(n *node, spared nodeKind) []string {
	seen := map[*node]bool{n: true}
	var out []string
	queue := []*node{n}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, u := range cur.users {
			if cur == n && u.kind == spared {
				continue
			}
			if !seen[u] {
				seen[u] = true
				out = append(out, u.name)
				queue = append(queue, u)
			}
		}
	}
	sort.Strings(out)
	return out
}

// lookup returns the node of schema.name, or nil.
func (g *graph) lookup(schema, name string) *node { return g.nodes[nodeKey(schema, name)] }
