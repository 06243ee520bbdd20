// A run's decision policy: a threshold picked from what the user accepts losing, and an optional unsure band.
import type { RunPolicy } from '../../../shared/contract';
import { ApiError } from '../../../shared/errors';
import type { Handlers } from './context';
import { policyOutcome, thresholdFor } from '../evaluation/policy';
import { heldOutPredictions } from '../store/predictions';
import { getRun, setPolicy } from '../store/runs';
import { resolveRun } from './classify';

export const policyHandlers: Handlers<'runs.policy'> = {
  'runs.policy': (request, ctx): RunPolicy => {
    const runId = resolveRun(ctx, request.runId);
    const run = getRun(ctx.db, runId);
    const { threshold: given, maxHamLost, maxSpamMissed } = request;
    if ([given, maxHamLost, maxSpamMissed].filter((v) => v !== undefined).length > 1) {
      throw new ApiError('bad-input', 'runs.policy: give at most one of threshold, maxHamLost and maxSpamMissed');
    }
    const { probabilities, targets } = heldOutPredictions(ctx.db, runId, run.holdout?.kind === 'newest');
    const target = maxHamLost !== undefined ? { maxHamLost } : maxSpamMissed !== undefined ? { maxSpamMissed } : null;
    if (target && probabilities.length === 0) {
      throw new ApiError(
        'conflict',
        `run ${runId} has no held-out messages to choose a threshold on (an imported model): give a threshold`,
      );
    }
    const threshold = target ? thresholdFor(probabilities, targets, target) : (given ?? run.threshold);
    const unsureBelow = request.unsureBelow === undefined ? run.unsureBelow : request.unsureBelow;
    if (unsureBelow !== null && unsureBelow > threshold) {
      throw new ApiError('bad-input', `runs.policy: the unsure band must start at or below the threshold (${unsureBelow} > ${threshold})`);
    }
    const changed = threshold !== run.threshold || unsureBelow !== run.unsureBelow;
    return {
      run: changed ? setPolicy(ctx.db, runId, threshold, unsureBelow) : run,
      holdout: policyOutcome(probabilities, targets, threshold, unsureBelow),
    };
  },
};
