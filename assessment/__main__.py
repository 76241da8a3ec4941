from assessment.launch import main

main()
