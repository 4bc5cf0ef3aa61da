package images

// Labels put on every image, container and network acmeconform creates. They
// let List find our images and let Sweep find what an earlier run left behind.
const (
	// LabelManaged marks a Docker object as created by acmeconform; its value is
	// always "true".
	LabelManaged = "org.acmeconform.managed"
	// LabelRun holds the id of the run that created a container or network.
	LabelRun = "org.acmeconform.run"
	// LabelImage holds the image name ("lego", "debian", ...) on an image.
	LabelImage = "org.acmeconform.image"
	// LabelInputs holds the hash of an image's build inputs.
	LabelInputs = "org.acmeconform.inputs"
	// LabelClient holds the client alias on a container.
	LabelClient = "org.acmeconform.client"
	// LabelVersionPrefix prefixes one label per client version baked into an
	// image, for example "org.acmeconform.version.lego".
	LabelVersionPrefix = "org.acmeconform.version."
)

// managedTrue is the value of LabelManaged.
const managedTrue = "true"

// runLabels returns the labels of a container or network of one run,
// owned by this process.
func runLabels(runID string) map[string]string {
	l := map[string]string{LabelManaged: managedTrue, LabelRun: runID}
	if owner := currentOwner(); owner != "" {
		l[LabelOwner] = owner
	}
	return l
}
