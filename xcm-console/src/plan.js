// A balance or drain plan (PlanView) as a table: each move, the score before and after, the reason.
import { h } from './dom.js';

const score = (x) => (Number.isFinite(x) ? x.toFixed(3) : '—');

/** Facts, notes and moves of a plan; withScores for balance plans. */
export function planBody(plan, withScores) {
  if (plan == null) return [h('p', { class: 'muted', text: 'The coordinator returned no plan.' })];
  const moves = Array.isArray(plan.moves) ? plan.moves : [];
  const facts = h('dl', { class: 'facts', id: 'plan-facts' },
    h('dt', { text: 'Policy' }), h('dd', { text: plan.policy ?? '—' }),
    h('dt', { text: 'Moves' }), h('dd', { 'data-plan': 'moves', text: String(moves.length) }));
  if (withScores) {
    facts.append(
      h('dt', { text: `Score (${plan.scoreName ?? 'score'})` }),
      h('dd', { 'data-plan': 'score', text: `${score(plan.initialScore)} → ${score(plan.finalScore)}` }),
      h('dt', { text: 'Lower bound' }),
      h('dd', { 'data-plan': 'lower-bound', text: `${plan.lowerBound} moves` }),
      h('dt', { text: 'Target reached' }),
      h('dd', { 'data-plan': 'target', text: plan.targetReached ? 'yes' : 'no' }));
  }
  const notes = Array.isArray(plan.notes) && plan.notes.length > 0
    ? h('ul', { class: 'notes' }, plan.notes.map((n) => h('li', { text: n })))
    : null;
  if (moves.length === 0) {
    return [facts, notes, h('p', { class: 'muted', text: 'Nothing to move.' })];
  }
  const head = ['#', 'Domain', 'From', 'To', ...(withScores ? ['Score before', 'Score after'] : []), 'Reason'];
  const table = h('table', { id: 'plan', class: 'grid compact' },
    h('thead', null, h('tr', null, head.map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', null, moves.map((m, i) => h('tr', { 'data-domain': m.domain },
      h('td', { class: 'num', text: String(i + 1) }),
      h('td', { text: m.domain }),
      h('td', { text: m.from }),
      h('td', { text: m.to }),
      withScores ? h('td', { class: 'num', text: score(m.scoreBefore) }) : null,
      withScores ? h('td', { class: 'num', text: score(m.scoreAfter) }) : null,
      h('td', { text: m.reason ?? '' })))));
  return [facts, notes, h('div', { class: 'scroll' }, table)];
}
