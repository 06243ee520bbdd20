/** A short course in the numbers spamlab shows, for people learning what they mean. */
export function Explainer() {
  return (
    <details className="explainer" data-testid="explainer">
      <summary>What these numbers mean</summary>
      <dl>
        <dt>Binary cross-entropy (the loss)</dt>
        <dd>
          For one message with label y (1 for spam, 0 for ham) and predicted spam probability p, the loss is −[y·log p + (1−y)·log(1−p)]:
          minus the log of the probability the model gave the right answer. 0.01 means it was 99% sure and right; 0.69 is a coin flip; 4.6
          means it gave the true label only 1%. Training moves the weights to lower the average loss over the training messages.
        </dd>
        <dt>Train and validation loss</dt>
        <dd>
          Validation messages are held out of training. When training loss keeps falling but validation loss rises, the model is memorizing
          its training mail (overfitting); early stopping keeps the epoch with the lowest validation loss.
        </dd>
        <dt>The newest holdout, and refitting</dt>
        <dd>
          A filter is judged on mail that arrives after it was trained. By default the newest 20% of each class, by message date, is held
          out: it picks the number of epochs and gives the figures shown here, which predict next week’s mail better than a random share
          (mail changes: a random share lets the model peek at the future). Then the delivered model is trained again on every labeled
          message, the newest included, for the epochs the holdout chose; the holdout’s figures stay its honest estimate.
        </dd>
        <dt>Class weighting and Fβ</dt>
        <dd>
          Each message’s loss can be multiplied by a weight for its class. “Balanced” weighs the rarer class up so both count equally; a
          spam weight below 1 makes losing ham costlier than letting spam through, which is what most people want from a filter. “fbeta”
          takes the weight from van Rijsbergen’s Fβ, which counts a missed spam β² times as much as a lost ham: β = 0.5 makes a lost ham
          four times as costly, β = 1 weighs them alike (F1), β = 2 favours catching spam. The weighted model’s probabilities lean to ham by
          design, so its threshold starts at 0.5.
        </dd>
        <dt>Threshold</dt>
        <dd>
          A message is called spam when p ≥ threshold. Moving it up trades spam missed (sm%) for fewer ham lost (hm%): the probabilities do
          not change, only the decision. An unweighted run starts at 0.90, the threshold that costs least when a lost ham is as bad as nine
          missed spams and the probabilities are calibrated. The threshold you save with a run is used by Test, Dataset filters and the
          command line. Bulk ham (newsletters, mailing lists, receipts: mail with List-Id, List-Unsubscribe or Precedence: bulk) is counted
          apart, because it is the legitimate mail that looks most like spam.
        </dd>
        <dt>Calibration and ECE</dt>
        <dd>
          A calibrated model’s 90% means spam nine times out of ten. The reliability diagram plots predicted probability against how often
          it was right; ECE (expected calibration error) is the average gap, weighted by how many messages fall in each bin. Log-loss
          rewards calibration; ROC AUC only looks at the order of the scores.
        </dd>
        <dt>Likely mislabeled and hard to learn</dt>
        <dd>
          With out-of-fold predictions every message is scored by a model that never saw it. Confident learning flags a message when that
          model is at least as sure of the other class as it is, on average, of messages truly in that class. Hard-to-learn messages are
          those whose true label kept a low probability across the epochs.
        </dd>
      </dl>
    </details>
  );
}
