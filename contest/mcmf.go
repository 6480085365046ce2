package contest

import (
	"math"
	"slices"
)

// flowNet is a min-cost max-flow network solved by successive shortest
// paths in the primal-dual form: Dijkstra on reduced costs (Johnson
// potentials keep them non-negative, so no Bellman-Ford/SPFA pass is
// needed once every initial cost is non-negative), then a Dinic-style
// blocking flow over every arc whose reduced cost is zero, so one shortest-
// path search serves many augmenting paths. Costs are integers, so the
// result is exact and the same for the same input: arcs are scanned in the
// order they were added, and ties go to the first found.
//
// Arcs come in pairs: 2p is the forward arc of pair p and 2p+1 its residual
// reverse. A pair may be convex: its u-th unit of flow (1-based) costs
// base + step×(u-1). Assignment uses that for judge loads, so the cost of
// one more review grows with the load already carried and a min-cost flow
// spreads work evenly. Convex pairs are held as one arc with a flow-
// dependent cost instead of one parallel arc per unit, which keeps the
// network small (the residual graph of parallel unit arcs only ever offers
// the cheapest unused unit forward and the dearest used unit back, which is
// exactly what cost() returns).
type flowNet struct {
	n int
	// per arc
	to []int32
	// per pair
	from []int32
	capa []int32
	flow []int32
	base []int64
	step []int64

	// adjacency in compressed form, built by freeze: arcs of node v are
	// adj[start[v]:start[v+1]], in insertion order.
	start []int32
	adj   []int32

	pot   []int64
	dist  []int64
	level []int32
	iter  []int32
	queue []int32
	heap  distHeap
}

const infCost = math.MaxInt64 / 4

func newFlowNet(n int) *flowNet { return &flowNet{n: n} }

// reserve makes room for pairs more arc pairs, so that building a large
// network does not copy its arrays over and over.
func (g *flowNet) reserve(pairs int) {
	g.from = slices.Grow(g.from, pairs)
	g.to = slices.Grow(g.to, 2*pairs)
	g.capa = slices.Grow(g.capa, pairs)
	g.flow = slices.Grow(g.flow, pairs)
	g.base = slices.Grow(g.base, pairs)
	g.step = slices.Grow(g.step, pairs)
}

// addArc adds a pair from→to with the given capacity and per-unit cost.
func (g *flowNet) addArc(from, to int, capacity int, cost int64) int {
	return g.addConvexArc(from, to, capacity, cost, 0)
}

// addConvexArc adds a pair whose u-th unit costs base + step×(u-1); step
// must be >= 0 for the cost to be convex. It returns the pair index.
func (g *flowNet) addConvexArc(from, to int, capacity int, base, step int64) int {
	p := len(g.capa)
	g.from = append(g.from, int32(from))
	g.to = append(g.to, int32(to), int32(from))
	g.capa = append(g.capa, int32(capacity))
	g.flow = append(g.flow, 0)
	g.base = append(g.base, base)
	g.step = append(g.step, step)
	return p
}

// pairFlow is the flow on pair p.
func (g *flowNet) pairFlow(p int) int { return int(g.flow[p]) }

func (g *flowNet) freeze() {
	g.start = make([]int32, g.n+1)
	for p := range g.capa {
		g.start[g.from[p]+1]++
		g.start[g.to[2*p]+1]++
	}
	for v := 0; v < g.n; v++ {
		g.start[v+1] += g.start[v]
	}
	fill := append([]int32(nil), g.start[:g.n]...)
	g.adj = make([]int32, 2*len(g.capa))
	for p := range g.capa {
		u, v := g.from[p], g.to[2*p]
		g.adj[fill[u]] = int32(2 * p)
		fill[u]++
		g.adj[fill[v]] = int32(2*p + 1)
		fill[v]++
	}
	g.pot = make([]int64, g.n)
	g.dist = make([]int64, g.n)
	g.level = make([]int32, g.n)
	g.iter = make([]int32, g.n)
}

// residual is how much more flow arc a can carry.
func (g *flowNet) residual(a int32) int32 {
	p := a >> 1
	if a&1 == 0 {
		return g.capa[p] - g.flow[p]
	}
	return g.flow[p]
}

// cost is the cost of the next unit over arc a.
func (g *flowNet) cost(a int32) int64 {
	p := a >> 1
	if a&1 == 0 {
		return g.base[p] + g.step[p]*int64(g.flow[p])
	}
	return -(g.base[p] + g.step[p]*int64(g.flow[p]-1))
}

func (g *flowNet) push(a int32, d int32) {
	if a&1 == 0 {
		g.flow[a>>1] += d
	} else {
		g.flow[a>>1] -= d
	}
}

// run sends as much flow as possible from s to t at minimum cost and
// returns the flow and its cost. Every initial arc cost must be >= 0.
func (g *flowNet) run(s, t int) (flow int, cost int64) {
	g.freeze()
	for g.dijkstra(int32(s), int32(t)) {
		for g.bfs(int32(s), int32(t)) {
			copy(g.iter, g.start[:g.n])
			for {
				f := g.dfs(int32(s), int32(t), math.MaxInt32)
				if f == 0 {
					break
				}
				flow += int(f)
			}
		}
	}
	for p := range g.capa {
		if f := int64(g.flow[p]); f > 0 {
			// Σ_{u=1..f} base + step(u-1)
			cost += g.base[p]*f + g.step[p]*f*(f-1)/2
		}
	}
	return flow, cost
}

// dijkstra computes shortest reduced-cost distances from s, stopping once
// t is settled, and moves the potentials by min(dist, dist[t]). That cap
// keeps every residual reduced cost non-negative while letting the search
// stop early (nodes farther than t are all lifted by dist[t]), and leaves
// the arcs of every shortest s–t path at reduced cost zero.
func (g *flowNet) dijkstra(s, t int32) bool {
	for i := range g.dist {
		g.dist[i] = infCost
	}
	g.dist[s] = 0
	h := &g.heap
	h.reset()
	h.push(0, s)
	for h.len() > 0 {
		d, u := h.pop()
		if d != g.dist[u] {
			continue
		}
		if u == t {
			break
		}
		pu := g.pot[u]
		for _, a := range g.adj[g.start[u]:g.start[u+1]] {
			if g.residual(a) <= 0 {
				continue
			}
			v := g.to[a]
			nd := d + g.cost(a) + pu - g.pot[v]
			if nd < g.dist[v] {
				g.dist[v] = nd
				h.push(nd, v)
			}
		}
	}
	dt := g.dist[t]
	if dt >= infCost {
		return false
	}
	for v, d := range g.dist {
		g.pot[v] += min(d, dt)
	}
	return true
}

// admissible reports whether arc a out of u lies on a shortest path under
// the current potentials: it has room and zero reduced cost.
func (g *flowNet) admissible(u, a int32) bool {
	return g.residual(a) > 0 && g.cost(a)+g.pot[u]-g.pot[g.to[a]] == 0
}

// bfs levels the admissible subgraph from s; the levels stop the blocking
// flow from running round zero-cost cycles.
func (g *flowNet) bfs(s, t int32) bool {
	for i := range g.level {
		g.level[i] = -1
	}
	g.level[s] = 0
	q := append(g.queue[:0], s)
	for i := 0; i < len(q); i++ {
		u := q[i]
		for _, a := range g.adj[g.start[u]:g.start[u+1]] {
			v := g.to[a]
			if g.level[v] < 0 && g.admissible(u, a) {
				g.level[v] = g.level[u] + 1
				q = append(q, v)
			}
		}
	}
	g.queue = q
	return g.level[t] >= 0
}

// dfs pushes up to f units from u to t along level-increasing admissible
// arcs, with Dinic's current-arc pointers. After a push the same arc is
// looked at again: a convex arc carries one unit at a time, since the next
// unit costs more and may no longer be admissible.
func (g *flowNet) dfs(u, t int32, f int32) int32 {
	if u == t {
		return f
	}
	var sent int32
	for g.iter[u] < g.start[u+1] {
		a := g.adj[g.iter[u]]
		v := g.to[a]
		if g.level[v] != g.level[u]+1 || !g.admissible(u, a) {
			g.iter[u]++
			continue
		}
		r := min(g.residual(a), f-sent)
		if g.step[a>>1] != 0 {
			r = 1
		}
		d := g.dfs(v, t, r)
		if d == 0 {
			g.iter[u]++
			continue
		}
		g.push(a, d)
		sent += d
		if sent == f {
			return sent
		}
	}
	return sent
}

// distHeap is a binary min-heap of (distance, node) with lazy deletion,
// written out rather than through container/heap to avoid interface calls
// in the inner loop. Equal distances pop in a fixed order for a fixed push
// sequence, which is all determinism needs.
type distHeap struct {
	d []int64
	v []int32
}

func (h *distHeap) reset()   { h.d, h.v = h.d[:0], h.v[:0] }
func (h *distHeap) len() int { return len(h.d) }

func (h *distHeap) push(d int64, v int32) {
	h.d = append(h.d, d)
	h.v = append(h.v, v)
	i := len(h.d) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h.d[p] <= d {
			break
		}
		h.d[i], h.v[i] = h.d[p], h.v[p]
		i = p
	}
	h.d[i], h.v[i] = d, v
}

func (h *distHeap) pop() (int64, int32) {
	d, v := h.d[0], h.v[0]
	n := len(h.d) - 1
	ld, lv := h.d[n], h.v[n]
	h.d, h.v = h.d[:n], h.v[:n]
	if n > 0 {
		i := 0
		for {
			c := 2*i + 1
			if c >= n {
				break
			}
			if c+1 < n && h.d[c+1] < h.d[c] {
				c++
			}
			if ld <= h.d[c] {
				break
			}
			h.d[i], h.v[i] = h.d[c], h.v[c]
			i = c
		}
		h.d[i], h.v[i] = ld, lv
	}
	return d, v
}
