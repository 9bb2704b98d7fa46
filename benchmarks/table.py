"""The table: the results summarised, as lines of text (printed, and kept in the JSON)."""
import datetime
import importlib.metadata
import os
import platform
import statistics

from .targets import bound, fmt, speedup, targets
from .work import BATCH_SIZE, CHAPTERS, FLOP_FORMULA, FLOP_PER_EPOCH, LOOPS, N_HIDDEN, N_IN, PRODUCTS, RUNS


def summarize_training(result):
    """Seconds per epoch (median of epochs 2..N), epoch 1, and GFLOP/s at that median."""
    if 'error' in result:
        return result
    seconds = result['epoch_s']
    median = statistics.median(seconds[1:]) if len(seconds) > 1 else None
    result.update(s_per_epoch=median, epoch1_s=seconds[0],
                  gflops=FLOP_PER_EPOCH / median / 1e9 if median else None)
    return result


def summarize_floor(result):
    """Per path: seconds for one epoch's products at the measured speeds, and the GFLOP/s that makes."""
    if 'error' in result:
        return result
    epoch = {}
    for path, per_shape in result['seconds_per_call'].items():
        epoch[path] = sum(count * per_shape[f'{m}x{k} by {k}x{n}'] for (m, k, n), count in PRODUCTS)
    flop = sum(count * 2 * m * k * n for (m, k, n), count in PRODUCTS)
    main = f'{BATCH_SIZE}x{N_IN} by {N_IN}x{N_HIDDEN}'
    result['paths'] = {path: {'epoch_s': s, 'gflops': flop / s / 1e9,
                              'gflops_main_shape': 2 * BATCH_SIZE * N_IN * N_HIDDEN
                              / result['seconds_per_call'][path][main] / 1e9}
                       for path, s in epoch.items()}
    best = min(result['paths'], key=lambda p: result['paths'][p]['epoch_s'])
    result.update(best_path=best, floor_epoch_s=epoch[best], floor_gflops=result['paths'][best]['gflops'])
    return result


def aligned(header, rows):
    """Rows of strings as a plain-text table: numbers right-aligned, the first and last columns left-aligned."""
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    lines = []
    for j, row in enumerate([header] + rows):
        cells = [str(c).ljust(w) if i in (0, len(row) - 1) else str(c).rjust(w)
                 for i, (c, w) in enumerate(zip(row, widths))]
        lines.append('  '.join(cells).rstrip())
        if j == 0:
            lines.append('  '.join('-' * w for w in widths))
    return lines


def report(results, machine, epochs):
    """The whole table, as lines of text."""
    floor = results.get('floor', {})
    floor_gflops = floor.get('floor_gflops')
    lines = [f"gluonbook benchmark, {machine['date']}, {machine['cpu']} ({machine['cores']} cores), "
             f"MXNet {machine['mxnet']}, numpy {machine['numpy']}, Python {machine['python']}, "
             f"load average {machine['load_before']} before, {machine['load_after']} after",
             f'one epoch = {FLOP_PER_EPOCH / 1e9:.1f} GFLOP = {FLOP_FORMULA}', '']
    rows = []
    for name in RUNS[2:]:
        if name in LOOPS or name in CHAPTERS:
            continue
        if name not in results:
            continue
        r = results[name]
        if 'error' in r:
            rows.append((name,) + ('',) * 9 + ('FAILED: ' + r['error'],))
            continue
        share = f"{100 * r['gflops'] / floor_gflops:.0f}%" if r['gflops'] and floor_gflops else '-'
        rows.append((name, r['kernel'] or '?', fmt(r['s_per_epoch'], ''), fmt(r['epoch1_s'], ''),
                     fmt(r['end_to_end_s'], ''), fmt(r['load_s'], ''), fmt(r['test_acc'], ''),
                     fmt(r['peak_rss_mb'], '', 0), fmt(r['gflops'], '', 1), share,
                     f"the model's step alone: {r['network_epoch_s']:.3f} s/epoch" if 'network_epoch_s' in r else ''))
    for path, p in floor.get('paths', {}).items():
        rows.append((f'floor: {path}', floor['kernel'] if path.startswith('nd.') else 'numpy', fmt(p['epoch_s'], ''),
                     '', '', '', '', '', fmt(p['gflops'], '', 1), f"{100 * floor['floor_epoch_s'] / p['epoch_s']:.0f}%",
                     f"{p['gflops_main_shape']:.1f} on {BATCH_SIZE}x{N_IN} by {N_IN}x{N_HIDDEN}"))
    if 'error' in floor:
        rows.append(('floor',) + ('',) * 9 + ('FAILED: ' + floor['error'],))
    data = results.get('data')
    if data is not None:
        if 'error' in data:
            rows.append(('data load',) + ('',) * 9 + ('FAILED: ' + data['error'],))
        else:
            second = results.get('data-again', {})
            rows.append(('data load', '', '', '', '', fmt(data['first_s'], ''), '', fmt(data['peak_rss_mb'], '', 0),
                         '', '', f"first call; warm {data['warm_s']:.3f} s; second process "
                         f"{fmt(second.get('first_s'), ' s', 3)}; import {data['import_s']:.2f} s"))
    if rows:
        lines += aligned(('run', 'kernel', f's/epoch 2..{epochs}', 'epoch 1 s', 'end-to-end s', 'load s',
                          'test acc', 'peak RSS MB', 'GFLOP/s', 'of floor', 'notes'), rows)
        lines.append('')
    rows = targets(results, epochs)
    lines += aligned(('target', 'measured', 'result'), rows)
    if any(result == 'LIMIT' for _, _, result in rows):
        lines.append("LIMIT: not reached, and out of reach on this machine: the work no loop can remove (the "
                     "reader's code, MXNet's kernels; the notes say what), timed alone in the same run, allows at "
                     "most the speed-up in brackets; a ratio at or above it means the loop adds nothing measurable "
                     "to that work")
    loops = [loop_row(name, results[name]) for name in LOOPS if name in results]
    if loops:
        lines += ['', "the book's later loops, against gluonbook 0.8.10 in the same process (median of 3 rounds):"]
        lines += aligned(('run', 'what', 'gluonbook s', '0.8.10 s', 'speed-up', 'result (ours / 0.8.10)', 'notes'),
                         loops)
    chapters = [chapter_row(name, results[name]) for name in CHAPTERS if name in results]
    if chapters:
        devices = sorted({results[name].get('device', '?') for name in CHAPTERS if name in results})
        lines += ['', f"the chapters readers wait for, on {', '.join(devices)}, against gluonbook 0.8.10 in the same "
                  "process (medians):"]
        lines += aligned(('run', 'what', 'gluonbook', '0.8.10', 'speed-up', 'notes'), chapters)
    return lines


def chapter_row(name, r):
    """One row of the chapters' table: this package's time, 0.8.10's (or the book's code run as 0.8.10's users
    ran it), the ratio, and what else was measured."""
    if 'error' in r:
        return (name, '', '', '', '', 'FAILED: ' + r['error'])
    if name == 'lenet':
        ours, theirs = (statistics.median(r['seconds'][k]) for k in ('gluonbook', 'gluonbook-0.8.10'))
        return (name, r['what'], f'{ours:.2f} s', f'{theirs:.2f} s', f'{speedup(r):.2f}x',
                f"test acc {r['test_acc']['gluonbook']:.3f} / {r['test_acc']['gluonbook-0.8.10']:.3f}"
                + floor_note(r, ' s'))
    if name == 'resized-input':
        ms = {k: statistics.median(v) for k, v in r['ms_per_batch'].items()}
        return (name, r['what'], f"{ms['gluonbook']:.2f} ms", f"{ms['gluonbook-0.8.10']:.2f} ms", f'{speedup(r):.2f}x',
                f"MXNet's batched BilinearResize2D: {ms['BilinearResize2D']:.2f} ms; reading and summing a ready "
                f"batch alone: {ms['read and sum only']:.2f} ms" + floor_note(r, ' ms'))
    steps, flop = r['step_s'], r['conv_flop']
    floor = flop / r['floor_s'] / 1e9
    best = steps['hybridized']
    theirs = steps.get('0.8.10', steps['imperative'])
    reference = "0.8.10's Residual" if '0.8.10' in steps else 'the same code not hybridized'
    notes = (f"hybridized {flop / best / 1e9:.0f} GFLOP/s = {100 * r['floor_s'] / best:.0f}% of the floor "
             f"(nd.Convolution alone: {r['floor_s']:.2f} s, {floor:.0f} GFLOP/s on {flop / 1e9:.0f} GFLOP); "
             f"imperative {steps['imperative']:.2f} s; 0.8.10 column: {reference}")
    return (name, r['what'], f'{best:.2f} s', f'{theirs:.2f} s', f'{theirs / best:.2f}x', notes)


def loop_row(name, r):
    if 'error' in r:
        return (name, '', '', '', '', '', 'FAILED: ' + r['error'])
    ours, theirs = (statistics.median(r['seconds'][k]) for k in ('gluonbook', 'gluonbook-0.8.10'))
    key = 'perplexity' if 'perplexity' in r else 'loss'
    return (name, r['what'], f'{ours:.2f}', f'{theirs:.2f}', f'{theirs / ours:.2f}x',
            f"{key} {r[key]['gluonbook']:.4f} / {r[key]['gluonbook-0.8.10']:.4f}", floor_note(r, ' s').lstrip('; '))


def floor_note(r, unit):
    """What the work no loop can remove took alone, and the most any loop could gain over 0.8.10 therefore."""
    if 'floor' not in r:
        return ''
    return f"; {r['floor']['what']}: {r['floor']['value']:.2f}{unit}, so at most {bound(r):.2f}x"


def machine_facts():
    """CPU model, cores, versions and the BLAS setting of the environment, without importing MXNet."""
    cpu = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo') as f:
            cpu = next((line.split(':', 1)[1].strip() for line in f if line.startswith('model name')), cpu)
    except OSError:
        pass

    def version(package):
        try:
            return importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return 'not installed'
    return {'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'), 'cpu': cpu,
            'cores': os.cpu_count(), 'python': platform.python_version(), 'mxnet': version('mxnet'),
            'numpy': version('numpy'), 'gluonbook': version('gluonbook'),
            'OPENBLAS_CORETYPE': os.environ.get('OPENBLAS_CORETYPE'),
            'load_before': ' '.join(f'{x:.1f}' for x in os.getloadavg())}
