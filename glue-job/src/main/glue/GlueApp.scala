// Glue 5.0 entry script (job language Scala, --class GlueApp). The job itself is Java, shipped in
// glue-job-<version>-glue.jar via --extra-jars; this object only hands Glue's arguments over.
object GlueApp {
  def main(sysArgs: Array[String]): Unit = dev.recsys.glue.PrepareInteractionsJob.main(sysArgs)
}
