"""The targets: what the table must show, each as a row ``(target, measured, result)``."""
import statistics

TARGETS = {'scratch_s_per_epoch': 1.1, 'gluon_s_per_epoch': 0.7, 'speedup': 5.0, 'first_load_s': 1.0,
           'warm_load_s': 0.3, 'test_acc': 0.86}  # the speed-up is of 10 epochs end to end, over the book's pipeline
# The later chapters, each against gluonbook 0.8.10 in the same run: speed-ups this package must reach
SPEEDUPS = {'resized-input': 10.0, 'lenet': 2.0, 'rnn-loop': 2.0, 'ch7-loop': 3.0}


def speedup(result):
    """This package's speed-up over gluonbook 0.8.10 in one run (medians), or None."""
    if not result or 'error' in result:
        return None
    times = result.get('seconds') or result.get('ms_per_batch')
    ours, theirs = (statistics.median(times[k]) for k in ('gluonbook', 'gluonbook-0.8.10'))
    return theirs / ours


def bound(result):
    """The most any loop could gain over gluonbook 0.8.10 in this run: 0.8.10's time over that of the work no
    loop can remove, measured alone in the same process (``result['floor']``: the reader's code, MXNet's
    kernels, what the consumer does with a batch); None where it was not measured."""
    if not result or 'error' in result or 'floor' not in result:
        return None
    times = result.get('seconds') or result.get('ms_per_batch')
    return statistics.median(times['gluonbook-0.8.10']) / result['floor']['value']


def mlp_bound(results, model, epochs):
    """The most the MLP chapter's run could gain over the book's, end to end: the book's time over this run's
    start-up (imports, data) plus ``epochs`` times the epoch of the reader's network alone; or None."""
    ours, book = results.get(f'{model}-gluonbook', {}), results.get(f'{model}-book', {})
    if 'network_epoch_s' not in ours or 'end_to_end_s' not in book:
        return None
    least = ours['end_to_end_s'] - sum(ours['epoch_s']) + epochs * ours['network_epoch_s']
    return book['end_to_end_s'] / least


def verdict(ratio, limit, most):
    """``(measured, result)``: PASS at the target; LIMIT where the target is above ``most``, what the same run
    showed any loop could reach (the target cannot be met on this machine); FAIL otherwise."""
    if ratio is None:
        return '-', 'n/a'
    if ratio >= limit:
        return fmt(ratio, 'x', 2), 'PASS'
    if most is not None and most < limit:
        return f'{fmt(ratio, "x", 2)} (at most {fmt(most, "x", 2)})', 'LIMIT'
    return fmt(ratio, 'x', 2), 'FAIL'


def targets(results, epochs):
    """``(target, measured, result)`` rows; result is PASS, FAIL, LIMIT (see :func:`verdict`), or n/a where the
    runs needed were not done."""
    def value(name, key):
        return results.get(name, {}).get(key)

    def row(label, runs, measured, ok):
        if any('error' in results.get(name, {}) for name in runs):
            return label, 'run failed', 'FAIL'
        if isinstance(ok, str):
            return label, measured, ok
        return label, measured, 'n/a' if ok is None else ('PASS' if ok else 'FAIL')

    models = (('scratch', 'from-scratch MLP'), ('gluon', 'Gluon MLP'))
    limits = {'scratch': TARGETS['scratch_s_per_epoch'], 'gluon': TARGETS['gluon_s_per_epoch']}
    span = f'{epochs} epoch{"s" if epochs != 1 else ""}'
    rows = []
    for model, label in models:
        s = value(f'{model}-gluonbook', 's_per_epoch')
        rows.append(row(f'{label}: s/epoch <= {limits[model]}', [f'{model}-gluonbook'], fmt(s, 's'),
                        None if s is None else s <= limits[model]))
    for model, label in models:
        ours, book = value(f'{model}-gluonbook', 'end_to_end_s'), value(f'{model}-book', 'end_to_end_s')
        ratio = book / ours if ours and book else None
        measured, result = verdict(ratio, TARGETS['speedup'], mlp_bound(results, model, epochs))
        rows.append(row(f'{label}: {span} end to end >= {TARGETS["speedup"]:g}x faster than the book',
                        [f'{model}-gluonbook', f'{model}-book'], measured, None if ratio is None else result))
    for key, label in (('first_s', 'first'), ('warm_s', 'warm')):
        seconds, limit = value('data', key), TARGETS[key.replace('_s', '_load_s')]
        rows.append(row(f'{label} load_data_fashion_mnist < {limit:g} s', ['data'], fmt(seconds, 's'),
                        None if seconds is None else seconds < limit))
    for model, label in models:
        ours, book = value(f'{model}-gluonbook', 'peak_rss_mb'), value(f'{model}-book', 'peak_rss_mb')
        rows.append(row(f"{label}: peak RSS not above the book pipeline's", [f'{model}-gluonbook', f'{model}-book'],
                        f'{fmt(ours, " MB", 1)} vs {fmt(book, " MB", 1)}',
                        None if not ours or not book else ours <= book))
    for model, label in models:
        acc = value(f'{model}-gluonbook', 'test_acc')
        note = '' if epochs >= 10 else f' (not judged: this run has {span})'
        rows.append(row(f'{label}: test accuracy after 10 epochs >= {TARGETS["test_acc"]}{note}',
                        [f'{model}-gluonbook'], fmt(acc, ''),
                        None if acc is None or epochs < 10 else acc >= TARGETS['test_acc']))
    labels = {'resized-input': 'resized input (96x96, batch 128) per batch', 'lenet': 'LeNet epoch',
              'rnn-loop': 'GRU loop', 'ch7-loop': 'train_ch7, batch 1'}
    for name, limit in SPEEDUPS.items():
        if name in results:
            ratio = speedup(results[name])
            measured, result = verdict(ratio, limit, bound(results[name]))
            rows.append(row(f'{labels[name]} >= {limit:g}x faster than gluonbook 0.8.10', [name], measured,
                            None if ratio is None else result))
    return rows




def fmt(value, unit, digits=None):
    if value is None:
        return '-'
    if digits is None:
        digits = 0 if unit.strip() == 'MB' else (1 if unit == 'x' else 3)
    return f'{value:.{digits}f}{unit}'
